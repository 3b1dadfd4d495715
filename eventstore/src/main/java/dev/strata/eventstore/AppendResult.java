package dev.strata.eventstore;

import java.util.stream.LongStream;

/**
 * Where an append's events landed in one stream: versions {@code firstVersion..lastVersion} of the stream
 * at positions {@code firstPosition..lastPosition} of the global log (both ranges contiguous, since one
 * append is one record). {@code lastPosition} is the consistency token a read side can wait for.
 */
public record AppendResult(String stream, long firstVersion, long lastVersion, long firstPosition, long lastPosition) {

    /** The stream's version after this append. */
    public long nextExpectedVersion() {
        return lastVersion;
    }

    /** The expectation a follow-up append should use to build on exactly this result. */
    public ExpectedVersion expectNext() {
        return ExpectedVersion.exactly(lastVersion);
    }

    public int eventCount() {
        return (int) (lastVersion - firstVersion + 1);
    }

    /** The positions of the events, in append order. */
    public LongStream positions() {
        return LongStream.rangeClosed(firstPosition, lastPosition);
    }
}
