package dev.strata.eventstore;

/**
 * An append's expected version did not match the stream's actual version; nothing was written.
 * {@link #actualVersion()} is {@link StreamVersions#NO_STREAM} when the stream does not exist.
 */
public class WrongExpectedVersionException extends EventStoreException {

    private final String stream;
    private final ExpectedVersion expected;
    private final long actualVersion;

    public WrongExpectedVersionException(String stream, ExpectedVersion expected, long actualVersion) {
        super("append to stream '" + stream + "' expected version " + expected + " but the stream "
                + (actualVersion == StreamVersions.NO_STREAM ? "does not exist" : "is at version " + actualVersion));
        this.stream = stream;
        this.expected = expected;
        this.actualVersion = actualVersion;
    }

    public String stream() {
        return stream;
    }

    public ExpectedVersion expected() {
        return expected;
    }

    public long actualVersion() {
        return actualVersion;
    }
}
