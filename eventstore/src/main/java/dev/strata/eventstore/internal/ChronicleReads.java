package dev.strata.eventstore.internal;

import dev.strata.eventstore.Direction;
import dev.strata.eventstore.EventReader;
import dev.strata.eventstore.RecordedEvent;
import dev.strata.eventstore.StreamNames;
import dev.strata.eventstore.ValidationException;
import dev.strata.eventstore.internal.index.StreamIndex;
import dev.strata.eventstore.internal.log.ChronicleEventLog;
import dev.strata.eventstore.internal.read.CategoryPager;
import dev.strata.eventstore.internal.read.GlobalPager;
import dev.strata.eventstore.internal.read.PagedSpliterator;
import dev.strata.eventstore.internal.read.ReadContext;
import dev.strata.eventstore.internal.read.StreamPager;
import java.util.OptionalLong;
import java.util.stream.Stream;

/**
 * The finite reads of {@link EventReader} over a Chronicle log, validated at the boundary: one implementation for the
 * live store and for read-only snapshots, which differ only in where sections and cursors come from.
 */
abstract class ChronicleReads implements EventReader, ReadContext {

    private final ChronicleEventLog log;

    ChronicleReads(ChronicleEventLog log) {
        this.log = log;
    }

    /** Throws {@code StoreClosedException} once closed. */
    abstract void requireOpen();

    @Override
    public final Stream<RecordedEvent> readStream(String stream, long fromVersion, Direction direction, int limit) {
        requireOpen();
        StreamNames.requireReadable(stream);
        requireNonNegative("fromVersion", fromVersion);
        requireLimit(limit);
        if (direction == null) {
            throw new ValidationException("direction", null, "must be FORWARD or BACKWARD");
        }
        return PagedSpliterator.stream(new StreamPager(this, stream, fromVersion, direction == Direction.FORWARD), limit);
    }

    @Override
    public final Stream<RecordedEvent> readAll(long fromPosition, int limit) {
        requireOpen();
        requireNonNegative("fromPosition", fromPosition);
        requireLimit(limit);
        return PagedSpliterator.stream(new GlobalPager(this, fromPosition, false), limit);
    }

    @Override
    public final Stream<RecordedEvent> readCategory(String category, long fromPosition, int limit) {
        requireOpen();
        StreamNames.requireCategory(category);
        requireNonNegative("fromPosition", fromPosition);
        requireLimit(limit);
        return PagedSpliterator.stream(new CategoryPager(this, category, fromPosition), limit);
    }

    @Override
    public final OptionalLong streamVersion(String stream) {
        requireOpen();
        StreamNames.requireReadable(stream);
        StreamIndex.Section last = index().lastSection(stream);
        return last == null ? OptionalLong.empty() : OptionalLong.of(last.lastVersion());
    }

    @Override
    public final long headPosition() {
        requireOpen();
        return log.committed().position();
    }

    @Override
    public final ChronicleEventLog log() {
        requireOpen();
        return log;
    }

    static void requireNonNegative(String field, long value) {
        if (value < 0) {
            throw new ValidationException(field, value, "must be >= 0");
        }
    }

    private static void requireLimit(int limit) {
        if (limit <= 0) {
            throw new ValidationException("limit", limit, "must be > 0");
        }
    }
}
