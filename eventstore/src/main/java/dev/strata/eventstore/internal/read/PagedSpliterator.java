package dev.strata.eventstore.internal.read;

import dev.strata.eventstore.RecordedEvent;
import java.util.ArrayList;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.function.Consumer;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/** A lazy, bounded stream over a {@link Pager}: events are fetched a page at a time as they are consumed. */
public final class PagedSpliterator extends Spliterators.AbstractSpliterator<RecordedEvent> {

    static final int PAGE = 512;

    private final Pager pager;
    private final ArrayList<RecordedEvent> page = new ArrayList<>();
    private int next;
    private long remaining;
    private boolean more = true;

    private PagedSpliterator(Pager pager, long limit) {
        super(limit, Spliterator.ORDERED | Spliterator.NONNULL | Spliterator.IMMUTABLE);
        this.pager = pager;
        this.remaining = limit;
    }

    public static Stream<RecordedEvent> stream(Pager pager, long limit) {
        return StreamSupport.stream(new PagedSpliterator(pager, limit), false);
    }

    @Override
    public boolean tryAdvance(Consumer<? super RecordedEvent> action) {
        if (next == page.size()) {
            if (!more || remaining == 0) {
                return false;
            }
            page.clear();
            next = 0;
            more = pager.fill(page, (int) Math.min(PAGE, remaining));
            if (page.isEmpty()) {
                more = false;
                return false;
            }
        }
        remaining--;
        action.accept(page.get(next++));
        return true;
    }
}
