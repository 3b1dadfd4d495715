package dev.strata.eventstore.internal.index;

import java.util.function.LongSupplier;

/**
 * A live store's stream sections: the writer's {@link RecentSections} over the RocksDB index, bounded by the
 * commit (a recent section is visible once its record is committed). Stream reads go through here without waiting
 * for the indexer; category reads use the index alone, after waiting for it.
 */
public final class LiveSections implements Sections {

    private final StreamIndex index;
    private final RecentSections recent;
    private final LongSupplier committedPosition;

    public LiveSections(StreamIndex index, RecentSections recent, LongSupplier committedPosition) {
        this.index = index;
        this.recent = recent;
        this.committedPosition = committedPosition;
    }

    @Override
    public void sections(String stream, long fromVersion, boolean forward, StreamIndex.SectionVisitor visitor) {
        StreamIndex.Section[] tail = recent.of(stream); // before the index: see the class comment of RecentSections
        long committed = committedPosition.getAsLong();
        int visible = tail.length;
        while (visible > 0 && tail[visible - 1].lastPosition() > committed) {
            visible--;
        }
        long firstRecent = visible == 0 ? Long.MAX_VALUE : tail[0].firstVersion();
        if (forward) {
            long[] reached = {fromVersion - 1};
            boolean[] stopped = {false};
            index.sections(stream, fromVersion, true, section -> {
                if (section.firstVersion() >= firstRecent) {
                    return false; // the rest is in the recent tail
                }
                reached[0] = section.lastVersion();
                if (!visitor.visit(section)) {
                    stopped[0] = true;
                    return false;
                }
                return true;
            });
            for (int i = 0; i < visible && !stopped[0]; i++) {
                StreamIndex.Section section = tail[i];
                if (section.lastVersion() > reached[0] && section.lastVersion() >= fromVersion && !visitor.visit(section)) {
                    return;
                }
            }
        } else {
            long below = fromVersion;
            for (int i = visible - 1; i >= 0; i--) {
                StreamIndex.Section section = tail[i];
                if (section.firstVersion() <= fromVersion) {
                    if (!visitor.visit(section)) {
                        return;
                    }
                    below = Math.min(below, section.firstVersion() - 1);
                }
            }
            if (below >= 0) {
                long limit = below;
                index.sections(stream, limit, false, section -> section.firstVersion() > limit || visitor.visit(section));
            }
        }
    }

    @Override
    public void categorySections(String category, long fromPosition, StreamIndex.SectionVisitor visitor) {
        index.categorySections(category, fromPosition, visitor);
    }

    @Override
    public StreamIndex.Section lastSection(String stream) {
        StreamIndex.Section[] tail = recent.of(stream);
        long committed = committedPosition.getAsLong();
        for (int i = tail.length - 1; i >= 0; i--) {
            if (tail[i].lastPosition() <= committed) {
                return tail[i];
            }
        }
        return index.lastSection(stream);
    }
}
