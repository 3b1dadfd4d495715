package dev.strata.eventstore.internal.log;

/**
 * A point in the log: the log index of a record and the last global position it holds. {@link #NONE} is before
 * the first record.
 */
public record Commit(long index, long position) {
    public static final Commit NONE = new Commit(-1, -1);
}
