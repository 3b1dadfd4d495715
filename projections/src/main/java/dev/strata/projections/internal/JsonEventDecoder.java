package dev.strata.projections.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.strata.eventstore.RecordedEvent;
import dev.strata.eventstore.ValidationException;
import dev.strata.projections.EventDecoder;
import java.io.IOException;
import java.util.Map;

/** JSON events as trees, or as the class registered for their type; other content types as raw bytes. */
public final class JsonEventDecoder implements EventDecoder {

    public static final JsonEventDecoder TREES = new JsonEventDecoder(JsonValueCodec.DEFAULT_MAPPER, Map.of());

    private final ObjectMapper mapper;
    private final Map<String, Class<?>> classes;

    public JsonEventDecoder(ObjectMapper mapper, Map<String, Class<?>> classes) {
        if (mapper == null || classes == null) {
            throw new ValidationException(mapper == null ? "mapper" : "classes", null, "must not be null");
        }
        this.mapper = mapper;
        this.classes = Map.copyOf(classes);
    }

    @Override
    public Object decode(RecordedEvent event) {
        if (!isJson(event.contentType())) {
            return event.data();
        }
        Class<?> type = classes.get(event.type());
        try {
            return type == null ? mapper.readTree(event.data()) : mapper.readValue(event.data(), type);
        } catch (IOException e) {
            throw new ValidationException("event.data", event.type() + " at position " + event.position(),
                    "must be JSON" + (type == null ? "" : " of a " + type.getName()) + ": " + e.getMessage());
        }
    }

    static boolean isJson(String contentType) {
        int semicolon = contentType.indexOf(';');
        String base = (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim().toLowerCase();
        return base.equals("application/json") || base.endsWith("+json");
    }
}
