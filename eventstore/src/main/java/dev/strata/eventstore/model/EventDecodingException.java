package dev.strata.eventstore.model;

import dev.strata.eventstore.EventStoreException;

/**
 * A stored event could not be turned into a record: its type is not registered and no upcaster reads it, its
 * revision is newer than the model's or has no upcaster, its content type is not JSON, or its data does not fit
 * the record. The message names the stream, version, type and revision. Not retryable: the model needs a
 * registration or an upcaster.
 */
public class EventDecodingException extends EventStoreException {

    private final String stream;
    private final long version;
    private final String type;
    private final int revision;

    public EventDecodingException(String stream, long version, String type, int revision, String reason, Throwable cause) {
        super("cannot decode event " + stream + "@" + version + " of type '" + type + "' revision " + revision + ": " + reason, cause);
        this.stream = stream;
        this.version = version;
        this.type = type;
        this.revision = revision;
    }

    public String stream() {
        return stream;
    }

    public long version() {
        return version;
    }

    public String type() {
        return type;
    }

    public int revision() {
        return revision;
    }
}
