package dev.strata.eventstore;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;
import java.util.UUID;

/**
 * An event as stored: what was appended plus where it landed. {@code version} is its index in its
 * stream, {@code position} its index in the global log (both from 0), {@code timestamp} the commit time
 * of the append that stored it (microsecond precision).
 */
public record RecordedEvent(UUID id, String stream, long version, long position, String type, Instant timestamp,
                            String contentType, Metadata metadata, byte[] data) {

    public RecordedEvent {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(stream, "stream");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(timestamp, "timestamp");
        Objects.requireNonNull(contentType, "contentType");
        Objects.requireNonNull(metadata, "metadata");
        Objects.requireNonNull(data, "data");
    }

    /** The stream's category: the part of its name before the first {@code -}. */
    public String category() {
        return StreamNames.categoryOf(stream);
    }

    public String dataAsString() {
        return new String(data, StandardCharsets.UTF_8);
    }

    /** The event as it was appended (id, type, content type, metadata, data). */
    public EventData toEventData() {
        return new EventData(id, type, contentType, metadata, data);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof RecordedEvent that
                && version == that.version
                && position == that.position
                && id.equals(that.id)
                && stream.equals(that.stream)
                && type.equals(that.type)
                && timestamp.equals(that.timestamp)
                && contentType.equals(that.contentType)
                && metadata.equals(that.metadata)
                && Arrays.equals(data, that.data);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(position) * 31 + id.hashCode();
    }

    @Override
    public String toString() {
        return "RecordedEvent[" + stream + "@" + version + ", position=" + position + ", type=" + type + ", id=" + id
                + ", " + data.length + " bytes]";
    }
}
