package dev.strata.projections.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.strata.projections.ParkedEvent;
import dev.strata.projections.ReadModelException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;

/**
 * Keys and values of the "parked" column family (see {@link ReadModelDatabase}): entries of one generation sort
 * together, then by key, then by position, so the parked events of a key are read back in order.
 */
final class ParkedKeys {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The stored value of a parked entry (its position and key are in the entry's key). */
    record Entry(UUID eventId, String stream, String type, String error, long parkedAt) {
    }

    private ParkedKeys() {
    }

    static byte[] generationPrefix(String projection, long generation) {
        byte[] name = projection.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(name.length + 1 + 8).put(name).put((byte) 0).putLong(generation).array();
    }

    static byte[] keyPrefix(String projection, long generation, String key) {
        byte[] prefix = generationPrefix(projection, generation);
        byte[] keyBytes = key.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(prefix.length + 4 + keyBytes.length).put(prefix).putInt(keyBytes.length).put(keyBytes).array();
    }

    static byte[] entryKey(String projection, long generation, String key, long position) {
        byte[] prefix = keyPrefix(projection, generation, key);
        return ByteBuffer.allocate(prefix.length + 8).put(prefix).putLong(position).array();
    }

    /** The key part of an entry key whose generation prefix is {@code prefixLength} bytes long. */
    static String keyOf(byte[] entryKey, int prefixLength) {
        int length = ByteBuffer.wrap(entryKey, prefixLength, 4).getInt();
        return new String(entryKey, prefixLength + 4, length, StandardCharsets.UTF_8);
    }

    static long positionOf(byte[] entryKey) {
        return ByteBuffer.wrap(entryKey, entryKey.length - 8, 8).getLong();
    }

    static byte[] value(Entry entry) {
        try {
            return JSON.writeValueAsBytes(entry);
        } catch (IOException e) {
            throw new ReadModelException("cannot encode a parked event", e);
        }
    }

    static Entry entry(byte[] value) {
        try {
            return JSON.readValue(value, Entry.class);
        } catch (IOException e) {
            throw new ReadModelException("cannot decode a parked event: " + e.getMessage(), e);
        }
    }

    static ParkedEvent toParkedEvent(String projection, long generation, byte[] entryKey, byte[] value, int prefixLength) {
        Entry entry = entry(value);
        return new ParkedEvent(projection, generation, keyOf(entryKey, prefixLength), positionOf(entryKey), entry.eventId(),
                entry.stream(), entry.type(), entry.error(), Instant.ofEpochMilli(entry.parkedAt()));
    }

    static boolean startsWith(byte[] bytes, byte[] prefix) {
        if (bytes.length < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (bytes[i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }
}
