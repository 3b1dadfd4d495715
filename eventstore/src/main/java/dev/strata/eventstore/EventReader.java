package dev.strata.eventstore;

import java.util.OptionalLong;
import java.util.stream.Stream;

/**
 * Finite reads. Each read is bounded by {@code limit}, sees only acknowledged events, and streams: events
 * are fetched in pages as the returned {@link Stream} is consumed, never materialized whole. Closing the
 * stream early is good manners but not required (no file handle is held between pages).
 */
public interface EventReader {

    /**
     * Reads {@code stream} from {@code fromVersion} (inclusive) in {@code direction}, at most {@code limit}
     * events. Backward from {@link StreamVersions#END} starts at the last event. A stream that does not
     * exist reads as empty (see {@link #streamVersion}).
     */
    Stream<RecordedEvent> readStream(String stream, long fromVersion, Direction direction, int limit);

    /** Reads the global log forward from {@code fromPosition} (inclusive), at most {@code limit} events. */
    Stream<RecordedEvent> readAll(long fromPosition, int limit);

    /** Reads the events of streams in {@code category}, forward from global position {@code fromPosition}. */
    Stream<RecordedEvent> readCategory(String category, long fromPosition, int limit);

    /** The stream's last version, or empty if it does not exist. */
    OptionalLong streamVersion(String stream);

    /** The position of the last acknowledged event, or {@link StreamVersions#NO_POSITION} if the store is empty. */
    long headPosition();
}
