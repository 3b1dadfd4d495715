package dev.strata.eventstore.internal.read;

import dev.strata.eventstore.RecordedEvent;
import dev.strata.eventstore.internal.codec.RecordView;
import dev.strata.eventstore.internal.log.LogCursor;
import java.util.List;

/** Reads the events of a category forward from a global position, through the index's category sections. */
public final class CategoryPager implements Pager {

    private final ReadContext context;
    private final String category;
    private long next;

    public CategoryPager(ReadContext context, String category, long fromPosition) {
        this.context = context;
        this.category = category;
        this.next = fromPosition;
    }

    @Override
    public boolean fill(List<RecordedEvent> page, int max) {
        // Index reads see everything acknowledged before this read began; a section the index names is
        // committed, so each record is read under the commit as it is when the section is reached.
        context.awaitIndexed(context.log().committed());
        try (LogCursor cursor = context.cursor()) {
            context.index().categorySections(category, next, section -> {
                if (page.size() == max) {
                    return false;
                }
                RecordView view = StreamPager.read(cursor, section.logIndex(), context.log().committed());
                int s = StreamPager.sectionAt(view, section.firstPosition());
                int first = view.sectionFirstEvent(s);
                for (int e = (int) Math.max(0, next - section.firstPosition()); e < section.count() && page.size() < max; e++) {
                    page.add(view.event(first + e));
                    next = section.firstPosition() + e + 1;
                }
                return true;
            });
        }
        return page.size() == max;
    }

    public long next() {
        return next;
    }
}
