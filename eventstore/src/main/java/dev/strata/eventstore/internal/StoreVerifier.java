package dev.strata.eventstore.internal;

import dev.strata.eventstore.StreamNames;
import dev.strata.eventstore.VerificationReport;
import dev.strata.eventstore.internal.codec.RecordView;
import dev.strata.eventstore.internal.index.StreamIndex;
import dev.strata.eventstore.internal.log.ChronicleEventLog;
import dev.strata.eventstore.internal.log.Commit;
import dev.strata.eventstore.internal.log.LogCursor;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Checks a whole store without changing it (beside a running writer too): every record whole, positions dense,
 * versions contiguous, the watermark consistent, and the index agreeing with the log up to its checkpoint.
 * Memory grows with the number of streams (one entry each).
 */
public final class StoreVerifier {

    private static final int MAX_PROBLEMS = 100;

    private StoreVerifier() {
    }

    public static VerificationReport verify(StoreSettings settings, Consumer<String> progress) {
        List<String> problems = new ArrayList<>();
        try (ChronicleEventLog log = ChronicleEventLog.openReadOnly(settings.directory(), settings.rollCycle(), settings.blockSize());
             StreamIndex index = StreamIndex.openReadOnly(settings.directory())) {
            Commit committed = log.committed();
            Commit indexed = index == null ? Commit.NONE : index.checkpoint().commit();
            if (index == null) {
                progress.accept("no index: it will be rebuilt from the log on the next open");
            }
            Map<String, Long> nextVersion = new HashMap<>();
            long records = 0;
            long events = 0;
            long bytes = 0;
            long tail = 0;
            long expected = 0;
            long lastGood = -1;
            long started = System.nanoTime();
            long reported = started;
            try (LogCursor cursor = log.cursor()) {
                cursor.toStart();
                while (true) {
                    String damage = cursor.nextRaw();
                    if ("end".equals(damage)) {
                        break;
                    }
                    long logIndex = cursor.index();
                    if (damage != null) {
                        problem(problems, "record at log index " + Long.toHexString(logIndex) + " (after position " + (expected - 1)
                                + ") is damaged: " + damage);
                        continue;
                    }
                    RecordView view = cursor.view();
                    if (logIndex > committed.index()) {
                        tail++;
                        continue;
                    }
                    records++;
                    bytes += view.length();
                    if (view.firstPosition() != expected) {
                        problem(problems, "record at log index " + Long.toHexString(logIndex) + " starts at position "
                                + view.firstPosition() + " where " + expected + " was expected");
                    }
                    for (int s = 0; s < view.sectionCount(); s++) {
                        String stream = view.sectionStream(s);
                        long next = nextVersion.getOrDefault(stream, 0L);
                        if (view.sectionFirstVersion(s) != next) {
                            problem(problems, "stream '" + stream + "' jumps from version " + (next - 1) + " to "
                                    + view.sectionFirstVersion(s) + " at position " + view.sectionFirstPosition(s));
                        }
                        nextVersion.put(stream, view.sectionFirstVersion(s) + view.sectionEventCount(s));
                        if (index != null && view.lastPosition() <= indexed.position()) {
                            checkIndex(index, view, s, logIndex, problems);
                        }
                    }
                    events += view.eventCount();
                    expected = view.lastPosition() + 1;
                    lastGood = view.lastPosition();
                    long now = System.nanoTime();
                    if (now - reported > 2_000_000_000L) {
                        reported = now;
                        progress.accept(String.format("verified %d events up to position %d of %d", events, lastGood, committed.position()));
                    }
                }
            }
            if (committed.position() != lastGood) {
                problem(problems, "the commit watermark names position " + committed.position() + " but the log's whole records end at "
                        + lastGood);
            }
            if (index != null && indexed.position() > lastGood) {
                problem(problems, "the index covers up to position " + indexed.position() + ", beyond the log's end at " + lastGood
                        + " (the next open rebuilds it)");
            }
            if (index != null) {
                long indexStreams = index.countStreams();
                long logStreams = nextVersion.size();
                if (indexed.position() == lastGood && indexStreams != logStreams) {
                    problem(problems, "the index knows " + indexStreams + " streams, the log " + logStreams);
                }
            }
            return new VerificationReport(problems.isEmpty(), records, events, nextVersion.size(), lastGood, bytes,
                    indexed.position(), tail, List.copyOf(problems));
        }
    }

    private static void checkIndex(StreamIndex index, RecordView view, int s, long logIndex, List<String> problems) {
        String stream = view.sectionStream(s);
        StreamIndex.Section section = index.section(stream, view.sectionFirstVersion(s));
        if (section == null || section.logIndex() != logIndex || section.firstPosition() != view.sectionFirstPosition(s)
                || section.count() != view.sectionEventCount(s)) {
            problem(problems, "the index does not hold stream '" + stream + "' versions " + view.sectionFirstVersion(s)
                    + ".. at position " + view.sectionFirstPosition(s) + " as the log does (it has " + section + ")");
        }
        if (!index.hasCategorySection(StreamNames.categoryOf(stream), view.sectionFirstPosition(s))) {
            problem(problems, "the category index lacks position " + view.sectionFirstPosition(s) + " of stream '" + stream + "'");
        }
        int first = view.sectionFirstEvent(s);
        for (int e = first; e < first + view.sectionEventCount(s); e++) {
            StreamIndex.IdLocation location = index.findId(view.eventIdMostSignificant(e), view.eventIdLeastSignificant(e));
            if (location == null || location.position() != view.firstPosition() + e) {
                problem(problems, "the index does not map event id " + view.eventId(e) + " to position " + (view.firstPosition() + e));
            }
        }
    }

    private static void problem(List<String> problems, String problem) {
        if (problems.size() < MAX_PROBLEMS) {
            problems.add(problem);
        }
    }
}
