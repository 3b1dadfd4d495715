package dev.strata.eventstore;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;
import java.util.UUID;

/**
 * An event to append: its id (the idempotence key: a retry must reuse it), type, content type,
 * metadata and data. The data bytes are not copied; do not change the array after handing it over.
 */
public record EventData(UUID id, String type, String contentType, Metadata metadata, byte[] data) {

    public static final String JSON = "application/json";

    /** The rule for event types. */
    public static final String TYPE_RULE = "[A-Za-z0-9][A-Za-z0-9._:$/+-]{0,199}";

    public EventData {
        if (id == null) {
            throw new ValidationException("event.id", null, "must not be null");
        }
        if (!Names.matches(type, 200, "._:$/+-")) {
            throw new ValidationException("event.type", type, "must match " + TYPE_RULE);
        }
        if (!Names.isMediaType(contentType)) {
            throw new ValidationException("event.contentType", contentType, "must be a media type such as application/json");
        }
        if (metadata == null) {
            throw new ValidationException("event.metadata", null, "must not be null (use Metadata.empty())");
        }
        if (data == null) {
            throw new ValidationException("event.data", null, "must not be null (use an empty array)");
        }
    }

    /** A JSON event with a fresh random id and no metadata. */
    public static EventData json(String type, String json) {
        return new EventData(UUID.randomUUID(), type, JSON, Metadata.empty(), json.getBytes(StandardCharsets.UTF_8));
    }

    /** A JSON event with a fresh random id and no metadata. */
    public static EventData json(String type, byte[] json) {
        return new EventData(UUID.randomUUID(), type, JSON, Metadata.empty(), json);
    }

    public EventData withId(UUID newId) {
        return new EventData(newId, type, contentType, metadata, data);
    }

    public EventData withMetadata(Metadata newMetadata) {
        return new EventData(id, type, contentType, newMetadata, data);
    }

    public EventData withContentType(String newContentType) {
        return new EventData(id, type, newContentType, metadata, data);
    }

    /** Same id, type, content type, metadata and data bytes: what a retry must repeat. */
    @Override
    public boolean equals(Object other) {
        return other instanceof EventData that
                && id.equals(that.id)
                && type.equals(that.type)
                && contentType.equals(that.contentType)
                && metadata.equals(that.metadata)
                && Arrays.equals(data, that.data);
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, type, contentType, metadata) * 31 + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "EventData[id=" + id + ", type=" + type + ", contentType=" + contentType + ", metadata=" + metadata
                + ", data=" + data.length + " bytes]";
    }
}
