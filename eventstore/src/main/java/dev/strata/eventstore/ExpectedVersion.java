package dev.strata.eventstore;

/**
 * What an append expects of its stream's current version; a mismatch fails the append with
 * {@link WrongExpectedVersionException} and writes nothing.
 *
 * <p>The vocabulary is the one EventStoreDB and Axon users know: {@link #any()} skips the check,
 * {@link #noStream()} requires the stream not to exist, {@link #streamExists()} requires it to exist,
 * {@link #exactly(long)} requires its last event to be at that version.
 */
public sealed interface ExpectedVersion {

    ExpectedVersion ANY = new Any();
    ExpectedVersion NO_STREAM = new NoStream();
    ExpectedVersion STREAM_EXISTS = new StreamExists();

    static ExpectedVersion any() {
        return ANY;
    }

    static ExpectedVersion noStream() {
        return NO_STREAM;
    }

    static ExpectedVersion streamExists() {
        return STREAM_EXISTS;
    }

    /** The stream's last event must be at {@code version} (versions count from 0). */
    static ExpectedVersion exactly(long version) {
        return new Exactly(version);
    }

    /**
     * Whether a stream whose last version is {@code actual} ({@link StreamVersions#NO_STREAM} when it
     * does not exist) satisfies this expectation.
     */
    boolean matches(long actual);

    record Any() implements ExpectedVersion {
        @Override
        public boolean matches(long actual) {
            return true;
        }

        @Override
        public String toString() {
            return "any";
        }
    }

    record NoStream() implements ExpectedVersion {
        @Override
        public boolean matches(long actual) {
            return actual == StreamVersions.NO_STREAM;
        }

        @Override
        public String toString() {
            return "no stream";
        }
    }

    record StreamExists() implements ExpectedVersion {
        @Override
        public boolean matches(long actual) {
            return actual != StreamVersions.NO_STREAM;
        }

        @Override
        public String toString() {
            return "stream exists";
        }
    }

    record Exactly(long version) implements ExpectedVersion {
        public Exactly {
            if (version < 0) {
                throw new ValidationException("expectedVersion", version, "must be >= 0");
            }
        }

        @Override
        public boolean matches(long actual) {
            return actual == version;
        }

        @Override
        public String toString() {
            return Long.toString(version);
        }
    }
}
