package dev.strata.eventstore.model;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.strata.eventstore.ValidationException;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Registers a model's event classes and upcasters; {@link #build()} checks them all and names what is wrong.
 * Not thread-safe; the {@link EventTypes} it builds is.
 */
public final class EventTypesBuilder<E> {

    /** The same rule as {@code EventData}'s type: an event type name as the store accepts it. */
    private static final Pattern TYPE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:$/+-]{0,199}");

    private record Entry(String type, int revision, Class<?> javaType) {
    }

    private final Class<E> baseType;
    private final List<Entry> entries = new ArrayList<>();
    private final List<Upcaster> upcasters = new ArrayList<>();
    private ObjectMapper mapper;

    EventTypesBuilder(Class<E> baseType) {
        if (baseType == null) {
            throw new ValidationException("baseType", null, "must not be null");
        }
        this.baseType = baseType;
    }

    /** Registers {@code javaType} as type {@code type}, at schema revision 1. */
    public EventTypesBuilder<E> register(String type, Class<? extends E> javaType) {
        return register(type, 1, javaType);
    }

    /** Registers {@code javaType} as type {@code type} at its current schema {@code revision} (from 1). */
    public EventTypesBuilder<E> register(String type, int revision, Class<? extends E> javaType) {
        entries.add(new Entry(type, revision, javaType));
        return this;
    }

    /** Adds an upcaster from an older revision (see {@link Upcaster}). */
    public EventTypesBuilder<E> upcaster(Upcaster upcaster) {
        if (upcaster == null) {
            throw new ValidationException("upcaster", null, "must not be null");
        }
        upcasters.add(upcaster);
        return this;
    }

    /**
     * The Jackson mapper for event data and snapshot states. By default: Java time types as ISO-8601 strings,
     * and a payload missing a record component or giving null for a primitive fails (a change of shape needs an
     * upcaster, never a silent default).
     */
    public EventTypesBuilder<E> objectMapper(ObjectMapper objectMapper) {
        this.mapper = objectMapper;
        return this;
    }

    /** The default mapper (see {@link #objectMapper}); a starting point for a customised one. */
    public static ObjectMapper defaultObjectMapper() {
        return JsonMapper.builder()
                .addModule(new JavaTimeModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .enable(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .build();
    }

    public EventTypes<E> build() {
        ObjectMapper objectMapper = mapper != null ? mapper : defaultObjectMapper();
        Map<Class<?>, EventTypes.Registration> byClass = new LinkedHashMap<>();
        Map<String, EventTypes.Registration> byType = new LinkedHashMap<>();
        for (Entry entry : entries) {
            if (entry.type() == null || !TYPE.matcher(entry.type()).matches()) {
                throw new ValidationException("type", entry.type(), "must match " + TYPE.pattern());
            }
            if (entry.revision() < 1) {
                throw new ValidationException("revision of '" + entry.type() + "'", entry.revision(), "must be >= 1");
            }
            if (entry.javaType() == null) {
                throw new ValidationException("class of '" + entry.type() + "'", null, "must not be null");
            }
            if (!baseType.isAssignableFrom(entry.javaType())) {
                throw new ValidationException("class of '" + entry.type() + "'", entry.javaType().getName(),
                        "must implement " + baseType.getName());
            }
            if (entry.javaType().isInterface() || Modifier.isAbstract(entry.javaType().getModifiers())) {
                throw new ValidationException("class of '" + entry.type() + "'", entry.javaType().getName(), "must be concrete (a record)");
            }
            EventTypes.Registration registration = new EventTypes.Registration(entry.type(), entry.revision(), entry.javaType(),
                    objectMapper.readerFor(entry.javaType()), objectMapper.writerFor(entry.javaType()),
                    Integer.toString(entry.revision()));
            if (byType.putIfAbsent(entry.type(), registration) != null) {
                throw new ValidationException("type", entry.type(), "must be registered once");
            }
            if (byClass.putIfAbsent(entry.javaType(), registration) != null) {
                throw new ValidationException("class", entry.javaType().getName(),
                        "must be registered once (it is already '" + byClass.get(entry.javaType()).type() + "')");
            }
        }
        requireEveryPermittedSubclass(byClass);
        Map<EventTypes.UpcasterKey, Upcaster> upcasterMap = new HashMap<>();
        for (Upcaster upcaster : upcasters) {
            EventTypes.UpcasterKey key = new EventTypes.UpcasterKey(upcaster.type(), upcaster.fromRevision());
            if (upcasterMap.putIfAbsent(key, upcaster) != null) {
                throw new ValidationException("upcaster", upcaster.type() + " revision " + upcaster.fromRevision(),
                        "must be the only upcaster from that revision of that type");
            }
            EventTypes.Registration current = byType.get(upcaster.type());
            if (current != null && upcaster.fromRevision() >= current.revision()) {
                throw new ValidationException("upcaster", upcaster.type() + " revision " + upcaster.fromRevision(),
                        "must read a revision older than the registered current revision " + current.revision());
            }
        }
        return new EventTypes<>(baseType, byClass, byType, upcasterMap, objectMapper);
    }

    /** With a sealed base type, a forgotten registration is caught here rather than on the first append. */
    private void requireEveryPermittedSubclass(Map<Class<?>, EventTypes.Registration> byClass) {
        if (!baseType.isSealed()) {
            return;
        }
        TreeSet<String> missing = new TreeSet<>();
        for (Class<?> permitted : baseType.getPermittedSubclasses()) {
            collectUnregistered(permitted, byClass, missing);
        }
        if (!missing.isEmpty()) {
            throw new ValidationException("event types", missing,
                    "must be registered: every concrete permitted subclass of sealed " + baseType.getName() + " needs a type name");
        }
    }

    private static void collectUnregistered(Class<?> type, Map<Class<?>, EventTypes.Registration> byClass, TreeSet<String> missing) {
        if (!type.isInterface() && !Modifier.isAbstract(type.getModifiers()) && !byClass.containsKey(type)) {
            missing.add(type.getName());
        }
        if (type.isSealed()) {
            for (Class<?> permitted : type.getPermittedSubclasses()) {
                collectUnregistered(permitted, byClass, missing);
            }
        }
    }
}
