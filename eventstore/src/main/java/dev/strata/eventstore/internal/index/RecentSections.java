package dev.strata.eventstore.internal.index;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The stream sections the writer has written and the index may not cover yet, per stream, so that a stream read
 * right after an append needs no wait for the indexer. Readers take a stream's sections here first and then the
 * index's: a section dropped from here was indexed before it was dropped, so the index read that follows sees it,
 * and the union of both holds every committed section (readers drop duplicates and uncommitted sections).
 *
 * <p>The writer adds and forgets; any thread reads. Each stream's list is a small immutable array replaced on
 * change (only the stream's unindexed tail).
 */
public final class RecentSections {

    private static final StreamIndex.Section[] NONE = new StreamIndex.Section[0];

    private record Added(long lastPosition, String stream) {
    }

    private final ConcurrentHashMap<String, StreamIndex.Section[]> byStream = new ConcurrentHashMap<>();
    private final ArrayDeque<Added> order = new ArrayDeque<>();

    /** Writer thread: a section of a record just written. */
    public void add(String stream, StreamIndex.Section section) {
        StreamIndex.Section[] current = byStream.get(stream);
        StreamIndex.Section[] next;
        if (current == null) {
            next = new StreamIndex.Section[] {section};
        } else {
            next = Arrays.copyOf(current, current.length + 1);
            next[current.length] = section;
        }
        byStream.put(stream, next);
        order.add(new Added(section.lastPosition(), stream));
    }

    /** Writer thread: drops what the index now covers. */
    public void forgetUpTo(long indexedPosition) {
        while (!order.isEmpty() && order.peek().lastPosition() <= indexedPosition) {
            String stream = order.poll().stream();
            StreamIndex.Section[] current = byStream.get(stream);
            if (current == null) {
                continue;
            }
            int keep = 0;
            while (keep < current.length && current[keep].lastPosition() <= indexedPosition) {
                keep++;
            }
            if (keep == current.length) {
                byStream.remove(stream);
            } else if (keep > 0) {
                byStream.put(stream, Arrays.copyOfRange(current, keep, current.length));
            }
        }
    }

    /** The stream's recent sections in version order (possibly including uncommitted ones). */
    public StreamIndex.Section[] of(String stream) {
        StreamIndex.Section[] sections = byStream.get(stream);
        return sections == null ? NONE : sections;
    }
}
