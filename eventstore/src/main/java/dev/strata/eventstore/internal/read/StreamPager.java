package dev.strata.eventstore.internal.read;

import dev.strata.eventstore.RecordedEvent;
import dev.strata.eventstore.internal.codec.RecordView;
import dev.strata.eventstore.internal.index.StreamIndex;
import dev.strata.eventstore.internal.log.Commit;
import dev.strata.eventstore.internal.log.LogCursor;
import java.util.List;

/** Reads one stream forward or backward through the index: each section names the record that holds it. */
public final class StreamPager implements Pager {

    private final ReadContext context;
    private final String stream;
    private final boolean forward;
    private long next;

    public StreamPager(ReadContext context, String stream, long fromVersion, boolean forward) {
        this.context = context;
        this.stream = stream;
        this.next = fromVersion;
        this.forward = forward;
    }

    @Override
    public boolean fill(List<RecordedEvent> page, int max) {
        if (next < 0) {
            return false;
        }
        // The sections come from the writer's recent ones and the index, bounded by the commit: no wait for the
        // indexer. Each record is read under the commit as it is when its section is reached.
        try (LogCursor cursor = context.cursor()) {
            context.index().sections(stream, next, forward, section -> {
                if (page.size() == max) {
                    return false;
                }
                RecordView view = read(cursor, section.logIndex(), context.log().committed());
                int s = sectionAt(view, section.firstPosition());
                int first = view.sectionFirstEvent(s);
                int count = view.sectionEventCount(s);
                long firstVersion = view.sectionFirstVersion(s);
                if (forward) {
                    for (int e = (int) Math.max(0, next - firstVersion); e < count && page.size() < max; e++) {
                        page.add(view.event(first + e));
                        next = firstVersion + e + 1;
                    }
                } else {
                    for (int e = (int) Math.min(count - 1, next - firstVersion); e >= 0 && page.size() < max; e--) {
                        page.add(view.event(first + e));
                        next = firstVersion + e - 1;
                    }
                }
                return true;
            });
        }
        // A full page may have more after it; an empty next page ends the read.
        return page.size() == max && next >= 0;
    }

    static RecordView read(LogCursor cursor, long logIndex, Commit commit) {
        cursor.seekIndex(logIndex);
        if (!cursor.next(commit)) {
            throw new dev.strata.eventstore.CorruptLogException("the index names log index " + Long.toHexString(logIndex)
                    + " but the log has no committed record there", null, logIndex);
        }
        return cursor.view();
    }

    static int sectionAt(RecordView view, long firstPosition) {
        for (int s = 0; s < view.sectionCount(); s++) {
            if (view.sectionFirstPosition(s) == firstPosition) {
                return s;
            }
        }
        throw new dev.strata.eventstore.CorruptLogException("the index names a section at position " + firstPosition
                + " that the record does not hold", null, -1);
    }
}
