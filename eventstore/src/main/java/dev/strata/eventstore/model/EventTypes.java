package dev.strata.eventstore.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.strata.eventstore.EventData;
import dev.strata.eventstore.Metadata;
import dev.strata.eventstore.RecordedEvent;
import dev.strata.eventstore.ValidationException;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The registry of a model's event types: each event record class has a type name (what the store and CloudEvents
 * call its {@code type}) and a schema revision (from 1, bumped when its JSON shape changes), plus the
 * {@link Upcaster}s that read older revisions. Built once with {@link #builder}, immutable and thread-safe.
 *
 * <h2>In the store</h2>
 * An event is stored as JSON (content type {@code application/json}, serialized by Jackson) with its type name
 * and, in metadata key {@value #SCHEMA_REVISION}, its revision. An event without that key is revision 1, so
 * events appended by other writers (or before the model used revisions) read as the first revision.
 *
 * <h2>On read</h2>
 * An event at the current revision of its type is read straight into its record. An older one goes through the
 * upcaster chain (see {@link Upcaster}) first, and may come out as several events, or as another type.
 * Everything that cannot be read is an {@link EventDecodingException} naming the stream, version, type and
 * revision: an unknown type, a revision newer than the model's, a missing upcaster, data that does not fit.
 *
 * @param <E> the base type of the model's events (typically a sealed interface)
 */
public final class EventTypes<E> {

    /** The metadata key holding an event's schema revision (decimal; absent means 1). */
    public static final String SCHEMA_REVISION = "schemarev";

    /** Guards against an upcaster chain that never ends (each step must raise the revision, so only a bug gets here). */
    private static final int MAX_UPCAST_STEPS = 10_000;

    record Registration(String type, int revision, Class<?> javaType, ObjectReader reader, ObjectWriter writer, String revisionText) {
    }

    record UpcasterKey(String type, int fromRevision) {
    }

    private final Class<E> baseType;
    private final Map<Class<?>, Registration> byClass;
    private final Map<String, Registration> byType;
    private final Map<UpcasterKey, Upcaster> upcasters;
    private final ObjectMapper mapper;

    EventTypes(Class<E> baseType, Map<Class<?>, Registration> byClass, Map<String, Registration> byType,
               Map<UpcasterKey, Upcaster> upcasters, ObjectMapper mapper) {
        this.baseType = baseType;
        this.byClass = Map.copyOf(byClass);
        this.byType = Map.copyOf(byType);
        this.upcasters = Map.copyOf(upcasters);
        this.mapper = mapper;
    }

    /** Starts a registry for events of {@code baseType}. */
    public static <E> EventTypesBuilder<E> builder(Class<E> baseType) {
        return new EventTypesBuilder<>(baseType);
    }

    public Class<E> baseType() {
        return baseType;
    }

    /** The registered type names. */
    public Set<String> typeNames() {
        return byType.keySet();
    }

    /** The type name of {@code event}'s class. */
    public String typeOf(E event) {
        return registration(event).type();
    }

    /** The current schema revision of type {@code type}, or 0 if it is not registered. */
    public int revisionOf(String type) {
        Registration registration = byType.get(type);
        return registration == null ? 0 : registration.revision();
    }

    /** The Jackson mapper events (and snapshot states) go through. */
    public ObjectMapper objectMapper() {
        return mapper;
    }

    /**
     * {@code event} as an {@link EventData} with id {@code id}, its type name, JSON data, and {@code metadata} plus its
     * schema revision.
     *
     * @throws ValidationException if its class is not registered or it does not serialize
     */
    public EventData encode(E event, UUID id, Metadata metadata) {
        Registration registration = registration(event);
        return new EventData(id, registration.type(), EventData.JSON,
                metadata.with(SCHEMA_REVISION, registration.revisionText()), serialize(event, registration));
    }

    /** The event's JSON bytes, as {@link #encode} stores them. */
    byte[] serialize(E event, Registration registration) {
        try {
            return registration.writer().writeValueAsBytes(event);
        } catch (JsonProcessingException e) {
            throw new ValidationException("event", event.getClass().getName(), "must serialize to JSON (" + e.getOriginalMessage() + ")");
        }
    }

    Registration registration(E event) {
        if (event == null) {
            throw new ValidationException("event", null, "must not be null");
        }
        Registration registration = byClass.get(event.getClass());
        if (registration == null) {
            throw new ValidationException("event", event.getClass().getName(),
                    "must be a class registered with EventTypes.builder(" + baseType.getSimpleName() + ".class).register(type, revision, class)");
        }
        return registration;
    }

    /**
     * The records a stored event reads as: one, or several if an upcaster split it.
     *
     * @throws EventDecodingException if it cannot be read
     */
    public List<E> decode(RecordedEvent event) {
        int revision = revisionOf(event);
        if (!isJson(event.contentType())) {
            throw new EventDecodingException(event.stream(), event.version(), event.type(), revision,
                    "content type '" + event.contentType() + "' is not JSON", null);
        }
        Registration current = byType.get(event.type());
        if (current != null && current.revision() == revision) {
            return List.of(read(event, current, revision));
        }
        JsonNode tree;
        try {
            tree = mapper.readTree(event.data());
        } catch (IOException e) {
            throw new EventDecodingException(event.stream(), event.version(), event.type(), revision,
                    "data is not JSON (" + e.getMessage() + ")", e);
        }
        if (!(tree instanceof ObjectNode object)) {
            throw new EventDecodingException(event.stream(), event.version(), event.type(), revision,
                    "data is not a JSON object", null);
        }
        List<JsonEvent> upcast = upcast(event, new JsonEvent(event.type(), revision, object));
        List<E> records = new ArrayList<>(upcast.size());
        for (JsonEvent json : upcast) {
            Registration registration = byType.get(json.type());
            try {
                records.add(baseType.cast(registration.reader().readValue(json.data())));
            } catch (IOException | IllegalArgumentException e) {
                throw new EventDecodingException(event.stream(), event.version(), event.type(), revision,
                        "upcast to '" + json.type() + "' revision " + json.revision() + ", its data does not fit "
                                + registration.javaType().getSimpleName() + " (" + e.getMessage() + ")", e);
            }
        }
        return records;
    }

    private E read(RecordedEvent event, Registration registration, int revision) {
        try {
            return baseType.cast(registration.reader().readValue(event.data()));
        } catch (IOException e) {
            throw new EventDecodingException(event.stream(), event.version(), event.type(), revision,
                    "data does not fit " + registration.javaType().getSimpleName() + " (" + e.getMessage() + ")", e);
        }
    }

    private List<JsonEvent> upcast(RecordedEvent event, JsonEvent stored) {
        List<JsonEvent> done = new ArrayList<>(1);
        Deque<JsonEvent> work = new ArrayDeque<>();
        work.push(stored);
        int steps = 0;
        while (!work.isEmpty()) {
            JsonEvent json = work.pop();
            Registration registration = byType.get(json.type());
            if (registration != null && registration.revision() == json.revision()) {
                done.add(json);
                continue;
            }
            if (registration != null && json.revision() > registration.revision()) {
                throw failure(event, stored, json, "revision " + json.revision() + " of '" + json.type()
                        + "' is newer than the model's revision " + registration.revision() + " (written by a newer model?)", null);
            }
            Upcaster upcaster = upcasters.get(new UpcasterKey(json.type(), json.revision()));
            if (upcaster == null) {
                throw failure(event, stored, json, registration == null
                        ? "unknown event type '" + json.type() + "' (register it, or an upcaster from its revision " + json.revision() + ")"
                        : "no upcaster from revision " + json.revision() + " of '" + json.type() + "' (current revision " + registration.revision() + ")", null);
            }
            if (++steps > MAX_UPCAST_STEPS) {
                throw failure(event, stored, json, "the upcaster chain did not end after " + MAX_UPCAST_STEPS + " steps", null);
            }
            List<JsonEvent> results;
            try {
                results = upcaster.upcast().apply(json);
            } catch (RuntimeException e) {
                throw failure(event, stored, json, "the upcaster from revision " + json.revision() + " of '" + json.type()
                        + "' failed: " + e, e);
            }
            if (results == null) {
                throw failure(event, stored, json, "the upcaster from revision " + json.revision() + " of '" + json.type()
                        + "' returned null (return an empty list to drop the event)", null);
            }
            // Push in reverse so that results come out in the order the upcaster gave them.
            for (int i = results.size() - 1; i >= 0; i--) {
                JsonEvent result = results.get(i);
                if (result == null || result.revision() <= json.revision()) {
                    throw failure(event, stored, json, "the upcaster from revision " + json.revision() + " of '" + json.type()
                            + "' returned " + (result == null ? "null" : "revision " + result.revision() + " of '" + result.type() + "'")
                            + "; every result must have a higher revision", null);
                }
                work.push(result);
            }
        }
        return done;
    }

    private static EventDecodingException failure(RecordedEvent event, JsonEvent stored, JsonEvent at, String reason, Throwable cause) {
        String where = at == stored ? "" : " (upcast so far to '" + at.type() + "' revision " + at.revision() + ")";
        return new EventDecodingException(event.stream(), event.version(), stored.type(), stored.revision(), reason + where, cause);
    }

    /** The schema revision a stored event was written with: metadata {@value #SCHEMA_REVISION}, 1 if absent. */
    public static int revisionOf(RecordedEvent event) {
        String text = event.metadata().asMap().get(SCHEMA_REVISION);
        if (text == null) {
            return 1;
        }
        try {
            int revision = Integer.parseInt(text);
            if (revision >= 1) {
                return revision;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new EventDecodingException(event.stream(), event.version(), event.type(), 0,
                "metadata " + SCHEMA_REVISION + " must be a revision >= 1 but was '" + text + "'", null);
    }

    private static boolean isJson(String contentType) {
        int semicolon = contentType.indexOf(';');
        String mediaType = (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim().toLowerCase(java.util.Locale.ROOT);
        return mediaType.equals("application/json") || mediaType.endsWith("+json");
    }
}
