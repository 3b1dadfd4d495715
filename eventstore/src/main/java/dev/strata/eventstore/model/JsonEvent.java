package dev.strata.eventstore.model;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.strata.eventstore.ValidationException;

/**
 * An event as JSON, between the bytes in the store and a record: what {@link Upcaster}s read and write. The
 * {@code data} tree belongs to the upcaster that receives it, which may change it in place and return it.
 *
 * @param type     the event type name
 * @param revision the schema revision of {@code data}, from 1
 * @param data     the event's JSON object
 */
public record JsonEvent(String type, int revision, ObjectNode data) {

    public JsonEvent {
        if (type == null || type.isEmpty()) {
            throw new ValidationException("type", type, "must not be empty");
        }
        if (revision < 1) {
            throw new ValidationException("revision", revision, "must be >= 1");
        }
        if (data == null) {
            throw new ValidationException("data", null, "must not be null");
        }
    }

    public JsonEvent withType(String newType) {
        return new JsonEvent(newType, revision, data);
    }

    public JsonEvent withRevision(int newRevision) {
        return new JsonEvent(type, newRevision, data);
    }

    public JsonEvent withData(ObjectNode newData) {
        return new JsonEvent(type, revision, newData);
    }
}
