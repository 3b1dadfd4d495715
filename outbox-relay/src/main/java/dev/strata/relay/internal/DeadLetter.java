package dev.strata.relay.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.strata.eventstore.EventData;
import dev.strata.eventstore.Metadata;
import dev.strata.eventstore.cloudevents.CloudEventMapper;
import io.cloudevents.CloudEvent;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * What the relay records about an event it could not publish: where the event is (stream, version, position, id,
 * type) and why. The event itself stays where it is in the log; the dead letter points at it.
 *
 * <p>As an event in {@code $relay-deadletter-<relay>}: type {@value #TYPE}, JSON data
 * {@code {"relay","reason","stream","version","position","eventId","type"}}, metadata {@code causationid} = the
 * event's id (and its {@code correlationid}, if any). Its id is derived from the relay's name and the event's id, so
 * dead-lettering the same event again after a crash is an idempotent retry, not a second dead letter.
 */
public record DeadLetter(String relay, String stream, long version, long position, String eventId, String type,
                         String correlationId, String reason) {

    public static final String TYPE = "RelayDeadLetter";
    private static final JsonFactory JSON = new JsonFactory();

    public static String streamOf(String relay) {
        return "$relay-deadletter-" + relay;
    }

    /** From an event a sink refused (a CloudEvent the relay made, with the position extensions). */
    public static DeadLetter of(String relay, CloudEvent event, String reason) {
        return new DeadLetter(relay, event.getSubject(), longExtension(event, CloudEventMapper.STREAM_VERSION),
                longExtension(event, CloudEventMapper.POSITION), event.getId(), event.getType(),
                stringExtension(event, Metadata.CORRELATION_ID), reason);
    }

    public EventData toEventData() {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (JsonGenerator json = JSON.createGenerator(out)) {
            json.writeStartObject();
            json.writeStringField("relay", relay);
            json.writeStringField("reason", reason);
            json.writeStringField("stream", stream);
            json.writeNumberField("version", version);
            json.writeNumberField("position", position);
            json.writeStringField("eventId", eventId);
            json.writeStringField("type", type);
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put(Metadata.CAUSATION_ID, eventId);
        if (correlationId != null) {
            metadata.put(Metadata.CORRELATION_ID, correlationId);
        }
        UUID id = UUID.nameUUIDFromBytes(("strata-relay-deadletter:" + relay + ":" + eventId).getBytes(StandardCharsets.UTF_8));
        return new EventData(id, TYPE, EventData.JSON, Metadata.of(metadata), out.toByteArray());
    }

    private static long longExtension(CloudEvent event, String name) {
        Object value = event.getExtension(name);
        if (value == null) {
            return -1;
        }
        try {
            return Long.parseLong(value.toString());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static String stringExtension(CloudEvent event, String name) {
        Object value = event.getExtension(name);
        return value == null ? null : value.toString();
    }
}
