package dev.strata.eventstore.internal.read;

import dev.strata.eventstore.RecordedEvent;
import dev.strata.eventstore.internal.codec.RecordView;
import dev.strata.eventstore.internal.log.Commit;
import dev.strata.eventstore.internal.log.LogCursor;
import java.util.List;

/**
 * Reads the global log forward from a position, straight from the log (no index): the position map finds the
 * starting record, then records are read in order up to the commit watermark.
 *
 * <p>A pager that {@code keepsCursor} holds its Chronicle tailer between pages (a subscription, on its own
 * thread); otherwise each page opens and closes one, so an abandoned stream holds nothing.
 */
public final class GlobalPager implements Pager, AutoCloseable {

    private final ReadContext context;
    private final boolean keepsCursor;
    private LogCursor cursor;
    private long next;
    private boolean positioned;

    public GlobalPager(ReadContext context, long fromPosition, boolean keepsCursor) {
        this.context = context;
        this.next = fromPosition;
        this.keepsCursor = keepsCursor;
    }

    @Override
    public boolean fill(List<RecordedEvent> page, int max) {
        Commit commit = context.log().committed();
        if (next > commit.position()) {
            return false;
        }
        if (cursor == null) {
            cursor = keepsCursor ? context.log().cursor() : context.cursor();
            positioned = false;
        }
        try {
            if (!positioned) {
                cursor.seekPosition(next, commit);
                positioned = true;
            }
            while (page.size() < max && cursor.next(commit)) {
                RecordView view = cursor.view();
                int from = (int) Math.max(0, next - view.firstPosition());
                int take = Math.min(view.eventCount() - from, max - page.size());
                for (int e = from; e < from + take; e++) {
                    page.add(view.event(e));
                }
                next = view.firstPosition() + from + take;
                if (from + take < view.eventCount()) {
                    // The page ends inside this record: read it again next time.
                    positioned = false;
                    break;
                }
            }
        } finally {
            if (!keepsCursor || !positioned) {
                closeCursor();
            }
        }
        return next <= context.log().committed().position() || page.size() == max;
    }

    /** The position the next page starts at. */
    public long next() {
        return next;
    }

    private void closeCursor() {
        if (cursor != null) {
            cursor.close();
            cursor = null;
            positioned = false;
        }
    }

    @Override
    public void close() {
        closeCursor();
    }
}
