package dev.strata.eventstore;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * String key/value metadata carried by an event, immutable. Keys follow the CloudEvents extension rule
 * ({@code [a-z0-9]{1,20}}) so that every key travels as a CloudEvents extension and comes back intact
 * through the HTTP API and Kafka. The well-known keys are {@value #CORRELATION_ID}, {@value #CAUSATION_ID},
 * {@value #TRACEPARENT} and {@value #TRACESTATE} (W3C trace context), and {@value #SOURCE}, which sets the
 * CloudEvents {@code source} of the event instead of the default {@code strata://<store>/<stream>}, and
 * {@value #DATASCHEMA}, its CloudEvents {@code dataschema}.
 */
public final class Metadata {

    public static final String CORRELATION_ID = "correlationid";
    public static final String CAUSATION_ID = "causationid";
    public static final String TRACEPARENT = "traceparent";
    public static final String TRACESTATE = "tracestate";
    public static final String SOURCE = "source";
    public static final String DATASCHEMA = "dataschema";

    /** Keys that name CloudEvents attributes or Strata's own extensions and so cannot be metadata. */
    static final Set<String> RESERVED_KEYS = Set.of("id", "type", "subject", "time", "specversion",
            "datacontenttype", "data", "streamversion", "position");

    public static final int MAX_VALUE_LENGTH = 4096;
    public static final int MAX_ENTRIES = 64;

    private static final Metadata EMPTY = new Metadata(Map.of());

    private final Map<String, String> entries;

    private Metadata(Map<String, String> entries) {
        this.entries = entries;
    }

    public static Metadata empty() {
        return EMPTY;
    }

    /** Metadata with these entries, in this order; validates every key and value. */
    public static Metadata of(Map<String, String> entries) {
        if (entries == null) {
            throw new ValidationException("metadata", null, "must not be null");
        }
        if (entries.isEmpty()) {
            return EMPTY;
        }
        if (entries.size() > MAX_ENTRIES) {
            throw new ValidationException("metadata", entries.size() + " entries", "must have at most " + MAX_ENTRIES + " entries");
        }
        LinkedHashMap<String, String> copy = new LinkedHashMap<>();
        entries.forEach((key, value) -> {
            validate(key, value);
            copy.put(key, value);
        });
        return new Metadata(Collections.unmodifiableMap(copy));
    }

    /** This metadata plus (or with a new value for) {@code key}. */
    public Metadata with(String key, String value) {
        LinkedHashMap<String, String> copy = new LinkedHashMap<>(entries);
        copy.put(key, value);
        return of(copy);
    }

    /** This metadata without {@code key}. */
    public Metadata without(String key) {
        if (!entries.containsKey(key)) {
            return this;
        }
        LinkedHashMap<String, String> copy = new LinkedHashMap<>(entries);
        copy.remove(key);
        return of(copy);
    }

    public Optional<String> get(String key) {
        return Optional.ofNullable(entries.get(key));
    }

    public Optional<String> correlationId() {
        return get(CORRELATION_ID);
    }

    public Optional<String> causationId() {
        return get(CAUSATION_ID);
    }

    public Optional<String> traceparent() {
        return get(TRACEPARENT);
    }

    public Map<String, String> asMap() {
        return entries;
    }

    public boolean isEmpty() {
        return entries.isEmpty();
    }

    public int size() {
        return entries.size();
    }

    private static void validate(String key, String value) {
        if (!Names.isExtensionName(key)) {
            throw new ValidationException("metadata key", key, "must match [a-z0-9]{1,20} (a CloudEvents extension name)");
        }
        if (RESERVED_KEYS.contains(key)) {
            throw new ValidationException("metadata key", key, "must not be one of " + RESERVED_KEYS + " (CloudEvents attributes)");
        }
        if (value == null) {
            throw new ValidationException("metadata." + key, null, "must not be null");
        }
        if (value.length() > MAX_VALUE_LENGTH) {
            throw new ValidationException("metadata." + key, value.length() + " characters", "must be at most " + MAX_VALUE_LENGTH + " characters");
        }
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Metadata that && entries.equals(that.entries);
    }

    @Override
    public int hashCode() {
        return entries.hashCode();
    }

    @Override
    public String toString() {
        return entries.toString();
    }
}
