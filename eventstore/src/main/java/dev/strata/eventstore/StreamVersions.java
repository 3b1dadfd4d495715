package dev.strata.eventstore;

/** Constants for stream versions and global positions. */
public final class StreamVersions {

    /** The "version" of a stream that has no events: the next event gets version 0. */
    public static final long NO_STREAM = -1;

    /** The head position of an empty store: the first event gets position 0. */
    public static final long NO_POSITION = -1;

    /** Start a backward read at the stream's last event. */
    public static final long END = Long.MAX_VALUE;

    private StreamVersions() {
    }
}
