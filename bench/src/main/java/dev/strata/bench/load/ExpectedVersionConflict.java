package dev.strata.bench.load;

/** A system under test refused an append because the stream was not at the expected version; nothing was written. */
public final class ExpectedVersionConflict extends RuntimeException {

    public ExpectedVersionConflict(String stream, long expectedVersion, Throwable cause) {
        super("stream " + stream + " is not at version " + expectedVersion, cause);
    }
}
