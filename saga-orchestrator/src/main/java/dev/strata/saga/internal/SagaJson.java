package dev.strata.saga.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.util.Optional;

/** The module's JSON settings: ISO-8601 instants, unknown fields ignored (so old logs read under new code). */
public final class SagaJson {

    private static final ObjectMapper MAPPER = configure(new ObjectMapper());

    private SagaJson() {
    }

    /** A mapper with the saga module's settings; the orchestrator's default for saga states and commands. */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    public static ObjectMapper configure(ObjectMapper mapper) {
        return mapper.registerModule(new JavaTimeModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    }

    public static String quote(String text) {
        try {
            return MAPPER.writeValueAsString(text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot quote a string as JSON", e);
        }
    }

    /** The text of field {@code name} of a JSON object, if {@code json} is one and has it. */
    public static Optional<String> stringField(String json, String name) {
        try {
            JsonNode node = MAPPER.readTree(json);
            JsonNode field = node == null ? null : node.get(name);
            return field != null && field.isTextual() ? Optional.of(field.asText()) : Optional.empty();
        } catch (JsonProcessingException e) {
            return Optional.empty();
        }
    }
}
