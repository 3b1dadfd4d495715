package dev.strata.projections;

import dev.strata.projections.internal.BuiltInCodecs;
import java.util.UUID;

/**
 * Turns read-model keys into the bytes RocksDB sorts, and back. Scans run in the order of the encoded bytes
 * (unsigned, lexicographic), so a codec whose byte order matches the key order makes range scans meaningful.
 */
public interface KeyCodec<K> {

    byte[] encode(K key);

    K decode(byte[] bytes);

    /** UTF-8; byte order is code point order, so prefix scans work on string prefixes. */
    static KeyCodec<String> string() {
        return BuiltInCodecs.STRING_KEY;
    }

    /** Eight bytes, big-endian with the sign bit flipped, so byte order is numeric order (negatives first). */
    static KeyCodec<Long> int64() {
        return BuiltInCodecs.LONG_KEY;
    }

    /** Sixteen bytes, most significant first. */
    static KeyCodec<UUID> uuid() {
        return BuiltInCodecs.UUID_KEY;
    }

    /** The bytes as they are. */
    static KeyCodec<byte[]> bytes() {
        return BuiltInCodecs.BYTES_KEY;
    }
}
