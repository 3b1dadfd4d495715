package dev.strata.eventstore.model;

import dev.strata.eventstore.Metadata;
import dev.strata.eventstore.StreamNames;
import dev.strata.eventstore.ValidationException;
import dev.strata.eventstore.internal.model.NameBasedIds;
import java.util.UUID;

/**
 * A command addressed to one stream, with the id that makes it idempotent and the metadata its events inherit.
 *
 * <h2>Idempotence</h2>
 * The events a command produces get ids derived from the command id ({@link #eventId(int)}: a name-based UUID of
 * the command id and the event's index), so handling the same command twice is a retried append, which the store
 * recognises (see {@code EventAppender}). A client that retries after a timeout must reuse the command id:
 * {@link #of} draws a random one, {@link #withId} sets one the client chose (an HTTP {@code Idempotency-Key},
 * a message id).
 *
 * <h2>Metadata</h2>
 * The events get this metadata, plus {@value Metadata#CAUSATION_ID} = the command id, plus
 * {@value Metadata#CORRELATION_ID} = the command id if the command does not carry one; a W3C
 * {@value Metadata#TRACEPARENT} (and anything else) is copied as is.
 *
 * @param stream   the stream the command is about (a user stream name)
 * @param payload  the command itself, as the decider knows it
 * @param id       the command id
 * @param metadata what the events inherit
 */
public record Command<C>(String stream, C payload, UUID id, Metadata metadata) {

    public Command {
        StreamNames.requireUserStream(stream);
        if (payload == null) {
            throw new ValidationException("command.payload", null, "must not be null");
        }
        if (id == null) {
            throw new ValidationException("command.id", null, "must not be null");
        }
        if (metadata == null) {
            throw new ValidationException("command.metadata", null, "must not be null (use Metadata.empty())");
        }
    }

    /** A command with a random id and no metadata. */
    public static <C> Command<C> of(String stream, C payload) {
        return new Command<>(stream, payload, UUID.randomUUID(), Metadata.empty());
    }

    public Command<C> withId(UUID newId) {
        return new Command<>(stream, payload, newId, metadata);
    }

    public Command<C> withMetadata(Metadata newMetadata) {
        return new Command<>(stream, payload, id, newMetadata);
    }

    /** This command with one more metadata entry, e.g. {@code with(Metadata.TRACEPARENT, header)}. */
    public Command<C> with(String key, String value) {
        return new Command<>(stream, payload, id, metadata.with(key, value));
    }

    /** The id of the {@code index}-th event (from 0) this command produces: the same for every retry. */
    public UUID eventId(int index) {
        if (index < 0) {
            throw new ValidationException("index", index, "must be >= 0");
        }
        return NameBasedIds.v5(id, Integer.toString(index));
    }

    /** The metadata of the events this command produces (before the event types add the schema revision). */
    public Metadata eventMetadata() {
        String commandId = id.toString();
        Metadata result = metadata.with(Metadata.CAUSATION_ID, commandId);
        if (metadata.correlationId().isEmpty()) {
            result = result.with(Metadata.CORRELATION_ID, commandId);
        }
        return result;
    }
}
