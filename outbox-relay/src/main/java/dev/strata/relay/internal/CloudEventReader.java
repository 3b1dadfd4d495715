package dev.strata.relay.internal;

import dev.strata.eventstore.EventData;
import dev.strata.eventstore.Metadata;
import dev.strata.eventstore.RecordedEvent;
import dev.strata.eventstore.ValidationException;
import dev.strata.eventstore.cloudevents.CloudEventMapper;
import io.cloudevents.CloudEvent;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * The inverse of {@link CloudEventMapper#toCloudEvent}, for read sides on other machines: a CloudEvent the relay
 * published becomes the {@link RecordedEvent} the store holds. The {@code source} always goes into the metadata, so
 * that a replica store on another machine keeps the origin's {@code strata://<store>/<stream>} rather than its own.
 */
public final class CloudEventReader {

    private CloudEventReader() {
    }

    public static RecordedEvent toRecordedEvent(CloudEvent event) {
        String stream = event.getSubject();
        if (stream == null || stream.isEmpty()) {
            throw new ValidationException("subject", stream, "is required: it names the event's stream");
        }
        UUID id;
        try {
            id = UUID.fromString(event.getId());
        } catch (IllegalArgumentException e) {
            throw new ValidationException("id", event.getId(), "must be a UUID (a Strata event id)");
        }
        long version = number(event, CloudEventMapper.STREAM_VERSION);
        long position = number(event, CloudEventMapper.POSITION);
        Instant time = event.getTime() == null ? null : event.getTime().toInstant();
        if (time == null) {
            throw new ValidationException("time", null, "is required: it is the event's commit time");
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put(Metadata.SOURCE, event.getSource().toString());
        if (event.getDataSchema() != null) {
            metadata.put(Metadata.DATASCHEMA, event.getDataSchema().toString());
        }
        for (String name : event.getExtensionNames()) {
            if (!name.equals(CloudEventMapper.STREAM_VERSION) && !name.equals(CloudEventMapper.POSITION)) {
                metadata.put(name, String.valueOf(event.getExtension(name)));
            }
        }
        String contentType = event.getDataContentType() == null ? EventData.JSON : event.getDataContentType();
        byte[] data = event.getData() == null ? new byte[0] : event.getData().toBytes();
        return new RecordedEvent(id, stream, version, position, event.getType(), time, contentType, Metadata.of(metadata), data);
    }

    private static long number(CloudEvent event, String extension) {
        Object value = event.getExtension(extension);
        if (value == null) {
            throw new ValidationException(extension, null, "is required (a Strata relay sets it)");
        }
        try {
            return Long.parseLong(value.toString());
        } catch (NumberFormatException e) {
            throw new ValidationException(extension, value, "must be a string of decimal digits");
        }
    }
}
