package dev.strata.projections.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import dev.strata.eventstore.ValidationException;
import dev.strata.projections.ValueCodec;
import java.io.IOException;

/** Values as JSON through Jackson; the reader and writer are bound once to the type. */
public final class JsonValueCodec<V> implements ValueCodec<V> {

    public static final ObjectMapper DEFAULT_MAPPER = new ObjectMapper();

    private final Class<V> type;
    private final ObjectReader reader;
    private final ObjectWriter writer;

    public JsonValueCodec(ObjectMapper mapper, Class<V> type) {
        if (mapper == null || type == null) {
            throw new ValidationException(mapper == null ? "mapper" : "type", null, "must not be null");
        }
        this.type = type;
        this.reader = mapper.readerFor(type);
        this.writer = mapper.writerFor(type);
    }

    @Override
    public byte[] encode(V value) {
        try {
            return writer.writeValueAsBytes(value);
        } catch (IOException e) {
            throw new ValidationException("value", value, "must serialize to JSON as a " + type.getName() + ": " + e.getMessage());
        }
    }

    @Override
    public V decode(byte[] bytes) {
        try {
            return reader.readValue(bytes);
        } catch (IOException e) {
            throw new ValidationException("value", bytes.length + " bytes", "must be JSON of a " + type.getName() + ": " + e.getMessage());
        }
    }
}
