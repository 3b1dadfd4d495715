package dev.strata.eventstore;

import java.nio.file.Path;

/**
 * A record that should be intact is not: its checksum fails, its position breaks the sequence, or it
 * cannot be reached. Readers never return such a record; they stop with this exception. Run
 * {@code strata verify} on the store for a full report.
 */
public class CorruptLogException extends StorageException {

    private final Path file;
    private final long logIndex;

    public CorruptLogException(String message, Path file, long logIndex) {
        super(message + (file == null ? "" : " (file " + file + ", log index " + Long.toHexString(logIndex) + ")"), null);
        this.file = file;
        this.logIndex = logIndex;
    }

    public Path file() {
        return file;
    }

    public long logIndex() {
        return logIndex;
    }
}
