package dev.strata.projections;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.strata.eventstore.RecordedEvent;
import dev.strata.projections.internal.JsonEventDecoder;
import java.util.Map;

/**
 * Decodes an event's data once, on the pipeline's tailer thread, before any projection sees it. A decoder that
 * throws makes the event poison for every projection (see {@link PoisonPolicy}).
 */
@FunctionalInterface
public interface EventDecoder {

    Object decode(RecordedEvent event);

    /**
     * JSON events ({@code application/json} and {@code +json} content types) as Jackson trees
     * ({@link com.fasterxml.jackson.databind.JsonNode}), anything else as its raw bytes. The default.
     */
    static EventDecoder json() {
        return JsonEventDecoder.TREES;
    }

    /**
     * JSON events of the types in {@code classes} (event type to Java class, e.g. a record) bound to those classes
     * with {@code mapper}; other JSON events as trees; anything else as raw bytes.
     */
    static EventDecoder json(ObjectMapper mapper, Map<String, Class<?>> classes) {
        return new JsonEventDecoder(mapper, classes);
    }
}
