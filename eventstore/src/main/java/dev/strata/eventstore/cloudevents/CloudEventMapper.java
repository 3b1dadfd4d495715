package dev.strata.eventstore.cloudevents;

import dev.strata.eventstore.EventData;
import dev.strata.eventstore.Metadata;
import dev.strata.eventstore.RecordedEvent;
import dev.strata.eventstore.ValidationException;
import io.cloudevents.CloudEvent;
import io.cloudevents.SpecVersion;
import io.cloudevents.core.builder.CloudEventBuilder;
import java.net.URI;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Maps events to and from CloudEvents 1.0 (the SDK's {@link CloudEvent}), as DESIGN.md's table says:
 *
 * <pre>
 * id                          event id (a UUID)
 * source                      strata://&lt;store&gt;/&lt;stream&gt;, unless the event's metadata sets "source"
 * type                        event type
 * subject                     stream name
 * time                        commit timestamp
 * datacontenttype             content type
 * dataschema                  metadata "dataschema", when set
 * extension streamversion     version, as a string of decimal digits (CloudEvents integers are 32-bit)
 * extension position          global position, likewise
 * other extensions            the other metadata entries (correlationid, causationid, traceparent, ...)
 * </pre>
 *
 * Thread-safe and stateless apart from the store name.
 */
public final class CloudEventMapper {

    public static final String STREAM_VERSION = "streamversion";
    public static final String POSITION = "position";

    private final String storeName;

    public CloudEventMapper(String storeName) {
        this.storeName = storeName;
    }

    public String storeName() {
        return storeName;
    }

    /** The source of an event whose metadata does not set one. */
    public URI defaultSource(String stream) {
        return URI.create("strata://" + storeName + "/" + stream);
    }

    /**
     * The event without its {@code source} metadata when that source is the default one for {@code stream}: such an
     * event reads back with the same source either way, and storing it once keeps an event appended over HTTP equal
     * to the same event appended embedded (so a retry through either path is recognised).
     */
    public EventData withoutDefaultSource(String stream, EventData event) {
        String source = event.metadata().get(Metadata.SOURCE).orElse(null);
        if (source != null && isDefaultSource(source, stream)) {
            return event.withMetadata(event.metadata().without(Metadata.SOURCE));
        }
        return event;
    }

    /** Whether {@code source} is the default source of {@code stream} (compared as text, no URI parsing: a hot path). */
    public boolean isDefaultSource(String source, String stream) {
        return source.length() == 10 + storeName.length() + stream.length() && source.startsWith("strata://")
                && source.startsWith(storeName, 9) && source.charAt(9 + storeName.length()) == '/' && source.endsWith(stream);
    }

    public CloudEvent toCloudEvent(RecordedEvent event) {
        Metadata metadata = event.metadata();
        CloudEventBuilder builder = CloudEventBuilder.v1()
                .withId(event.id().toString())
                .withSource(metadata.get(Metadata.SOURCE).map(URI::create).orElseGet(() -> defaultSource(event.stream())))
                .withType(event.type())
                .withSubject(event.stream())
                .withTime(event.timestamp().atOffset(ZoneOffset.UTC))
                .withDataContentType(event.contentType())
                .withExtension(STREAM_VERSION, Long.toString(event.version()))
                .withExtension(POSITION, Long.toString(event.position()));
        metadata.get(Metadata.DATASCHEMA).map(URI::create).ifPresent(builder::withDataSchema);
        for (Map.Entry<String, String> entry : metadata.asMap().entrySet()) {
            if (!entry.getKey().equals(Metadata.SOURCE) && !entry.getKey().equals(Metadata.DATASCHEMA)) {
                builder.withExtension(entry.getKey(), entry.getValue());
            }
        }
        if (event.data().length > 0) {
            builder.withData(event.data());
        }
        return builder.build();
    }

    /**
     * The event to append for a CloudEvent received from outside. The id must be a UUID (it is the idempotence
     * key); {@code subject}, {@code time} and the {@code streamversion}/{@code position} extensions are assigned by
     * the store and ignored here; other extensions become metadata.
     */
    public EventData toEventData(CloudEvent event) {
        if (event.getSpecVersion() != SpecVersion.V1) {
            throw new ValidationException("specversion", event.getSpecVersion().toString(), "must be 1.0");
        }
        UUID id = parseId(event.getId());
        Map<String, String> metadata = new LinkedHashMap<>();
        String source = event.getSource() == null ? null : event.getSource().toString();
        if (source == null || source.isEmpty()) {
            throw new ValidationException("source", source, "is required (a URI-reference)");
        }
        metadata.put(Metadata.SOURCE, source);
        if (event.getDataSchema() != null) {
            metadata.put(Metadata.DATASCHEMA, event.getDataSchema().toString());
        }
        for (String name : event.getExtensionNames()) {
            if (!name.equals(STREAM_VERSION) && !name.equals(POSITION)) {
                Object value = event.getExtension(name);
                metadata.put(name, value == null ? "" : value.toString());
            }
        }
        byte[] data = event.getData() == null ? new byte[0] : event.getData().toBytes();
        String contentType = event.getDataContentType() == null ? EventData.JSON : event.getDataContentType();
        return new EventData(id, event.getType(), contentType, Metadata.of(metadata), data);
    }

    static UUID parseId(String id) {
        if (id == null || id.isEmpty()) {
            throw new ValidationException("id", id, "is required");
        }
        try {
            UUID uuid = UUID.fromString(id);
            if (!uuid.toString().equalsIgnoreCase(id)) {
                throw new IllegalArgumentException("not canonical");
            }
            return uuid;
        } catch (IllegalArgumentException e) {
            throw new ValidationException("id", id, "must be a UUID (8-4-4-4-12 hex digits): it is the event's idempotence key");
        }
    }
}
