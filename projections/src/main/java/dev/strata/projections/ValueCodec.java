package dev.strata.projections;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.strata.projections.internal.BuiltInCodecs;
import dev.strata.projections.internal.JsonValueCodec;

/** Turns read-model values into bytes and back. */
public interface ValueCodec<V> {

    byte[] encode(V value);

    V decode(byte[] bytes);

    /** JSON through Jackson (records work as they are), with a shared default mapper. */
    static <V> ValueCodec<V> json(Class<V> type) {
        return new JsonValueCodec<>(JsonValueCodec.DEFAULT_MAPPER, type);
    }

    /** JSON through the given Jackson mapper. */
    static <V> ValueCodec<V> json(Class<V> type, ObjectMapper mapper) {
        return new JsonValueCodec<>(mapper, type);
    }

    /** UTF-8. */
    static ValueCodec<String> string() {
        return BuiltInCodecs.STRING_VALUE;
    }

    /** Eight bytes, big-endian. */
    static ValueCodec<Long> int64() {
        return BuiltInCodecs.LONG_VALUE;
    }

    /** The bytes as they are. */
    static ValueCodec<byte[]> bytes() {
        return BuiltInCodecs.BYTES_VALUE;
    }
}
