package dev.strata.eventstore.internal.index;

import dev.strata.eventstore.StreamNames;
import dev.strata.eventstore.internal.codec.RecordView;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The sections of records the RocksDB index does not cover yet, in memory, layered over the index: how a
 * read-only view reads streams and categories up to the log's commit while the index lags (another process writes
 * it, or a crash lost its unflushed part).
 */
public final class TailSections implements Sections {

    private final Sections base;
    private final Map<String, List<StreamIndex.Section>> byStream = new HashMap<>();
    private final Map<String, List<StreamIndex.Section>> byCategory = new HashMap<>();

    /** @param base the index below the tail, or null if there is none */
    public TailSections(Sections base) {
        this.base = base;
    }

    /** Adds a record of the tail; records come in log order. */
    public void add(RecordView view, long logIndex) {
        for (int s = 0; s < view.sectionCount(); s++) {
            String stream = view.sectionStream(s);
            StreamIndex.Section section = new StreamIndex.Section(view.sectionFirstVersion(s), view.sectionEventCount(s),
                    logIndex, view.sectionFirstPosition(s));
            byStream.computeIfAbsent(stream, k -> new ArrayList<>()).add(section);
            byCategory.computeIfAbsent(StreamNames.categoryOf(stream), k -> new ArrayList<>()).add(section);
        }
    }

    @Override
    public void sections(String stream, long fromVersion, boolean forward, StreamIndex.SectionVisitor visitor) {
        List<StreamIndex.Section> tail = byStream.getOrDefault(stream, List.of());
        if (forward) {
            boolean[] stopped = {false};
            if (base != null) {
                base.sections(stream, fromVersion, true, section -> {
                    if (!visitor.visit(section)) {
                        stopped[0] = true;
                        return false;
                    }
                    return true;
                });
            }
            for (int i = 0; i < tail.size() && !stopped[0]; i++) {
                if (tail.get(i).lastVersion() >= fromVersion && !visitor.visit(tail.get(i))) {
                    return;
                }
            }
        } else {
            for (int i = tail.size() - 1; i >= 0; i--) {
                if (tail.get(i).firstVersion() <= fromVersion && !visitor.visit(tail.get(i))) {
                    return;
                }
            }
            if (base != null) {
                base.sections(stream, fromVersion, false, visitor);
            }
        }
    }

    @Override
    public void categorySections(String category, long fromPosition, StreamIndex.SectionVisitor visitor) {
        boolean[] stopped = {false};
        if (base != null) {
            base.categorySections(category, fromPosition, section -> {
                if (!visitor.visit(section)) {
                    stopped[0] = true;
                    return false;
                }
                return true;
            });
        }
        List<StreamIndex.Section> tail = byCategory.getOrDefault(category, List.of());
        for (int i = 0; i < tail.size() && !stopped[0]; i++) {
            if (tail.get(i).lastPosition() >= fromPosition && !visitor.visit(tail.get(i))) {
                return;
            }
        }
    }

    /** Streams with sections in the tail. */
    public java.util.Set<String> streams() {
        return byStream.keySet();
    }

    @Override
    public StreamIndex.Section lastSection(String stream) {
        List<StreamIndex.Section> tail = byStream.get(stream);
        if (tail != null && !tail.isEmpty()) {
            return tail.get(tail.size() - 1);
        }
        return base == null ? null : base.lastSection(stream);
    }
}
