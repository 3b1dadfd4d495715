package dev.strata.eventstore.model;

import dev.strata.eventstore.EventStoreException;
import java.util.UUID;

/**
 * A command lost the race for its stream on every attempt: each time it was decided, another writer appended to
 * the stream before it could. Nothing of it was appended. Retryable: the same command (same id) may succeed later;
 * a stream this contended may also want a larger {@link CommandHandlerBuilder#maxAttempts}.
 */
public class CommandConflictException extends EventStoreException {

    private final String stream;
    private final UUID commandId;
    private final int attempts;

    public CommandConflictException(String stream, UUID commandId, int attempts, Throwable lastConflict) {
        super("command " + commandId + " on stream '" + stream + "' lost to concurrent writers " + attempts
                + " times (each append found the stream at a newer version than the one decided on); nothing was appended", lastConflict);
        this.stream = stream;
        this.commandId = commandId;
        this.attempts = attempts;
    }

    public String stream() {
        return stream;
    }

    public UUID commandId() {
        return commandId;
    }

    public int attempts() {
        return attempts;
    }

    @Override
    public boolean isRetryable() {
        return true;
    }
}
