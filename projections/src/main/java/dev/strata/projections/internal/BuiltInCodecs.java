package dev.strata.projections.internal;

import dev.strata.projections.KeyCodec;
import dev.strata.projections.ValueCodec;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/** The codecs behind {@link KeyCodec}'s and {@link ValueCodec}'s factories. */
public final class BuiltInCodecs {

    private BuiltInCodecs() {
    }

    public static final KeyCodec<String> STRING_KEY = new KeyCodec<>() {
        @Override
        public byte[] encode(String key) {
            return key.getBytes(StandardCharsets.UTF_8);
        }

        @Override
        public String decode(byte[] bytes) {
            return new String(bytes, StandardCharsets.UTF_8);
        }
    };

    /** Sign bit flipped so that unsigned byte order is signed numeric order. */
    public static final KeyCodec<Long> LONG_KEY = new KeyCodec<>() {
        @Override
        public byte[] encode(Long key) {
            return ByteBuffer.allocate(8).putLong(key ^ Long.MIN_VALUE).array();
        }

        @Override
        public Long decode(byte[] bytes) {
            return ByteBuffer.wrap(bytes).getLong() ^ Long.MIN_VALUE;
        }
    };

    public static final KeyCodec<UUID> UUID_KEY = new KeyCodec<>() {
        @Override
        public byte[] encode(UUID key) {
            return ByteBuffer.allocate(16).putLong(key.getMostSignificantBits()).putLong(key.getLeastSignificantBits()).array();
        }

        @Override
        public UUID decode(byte[] bytes) {
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            return new UUID(buffer.getLong(), buffer.getLong());
        }
    };

    public static final KeyCodec<byte[]> BYTES_KEY = new KeyCodec<>() {
        @Override
        public byte[] encode(byte[] key) {
            return key;
        }

        @Override
        public byte[] decode(byte[] bytes) {
            return bytes;
        }
    };

    public static final ValueCodec<String> STRING_VALUE = new ValueCodec<>() {
        @Override
        public byte[] encode(String value) {
            return value.getBytes(StandardCharsets.UTF_8);
        }

        @Override
        public String decode(byte[] bytes) {
            return new String(bytes, StandardCharsets.UTF_8);
        }
    };

    public static final ValueCodec<Long> LONG_VALUE = new ValueCodec<>() {
        @Override
        public byte[] encode(Long value) {
            return ByteBuffer.allocate(8).putLong(value).array();
        }

        @Override
        public Long decode(byte[] bytes) {
            return ByteBuffer.wrap(bytes).getLong();
        }
    };

    public static final ValueCodec<byte[]> BYTES_VALUE = new ValueCodec<>() {
        @Override
        public byte[] encode(byte[] value) {
            return value;
        }

        @Override
        public byte[] decode(byte[] bytes) {
            return bytes;
        }
    };
}
