package dev.strata.bench.load;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The body every system under test stores for one event: a JSON object of exactly {@code size} bytes (UTF-8), so
 * Strata, PostgreSQL's jsonb, Axon's Jackson payload and Kafka's record value carry the same bytes.
 *
 * @param json the event's data, exactly {@code size} bytes
 */
public record Payload(int size, byte[] json) {

    /** The smallest size a JSON object of this shape can have. */
    public static final int MIN_SIZE = 32;

    public Payload {
        if (json.length != size) {
            throw new IllegalArgumentException("payload must be " + size + " bytes but was " + json.length);
        }
    }

    /** {@code {"orderId":"order-1","amount":12345,"note":"xxx..."}} padded with the note to exactly {@code size} bytes. */
    public static Payload of(int size) {
        if (size < MIN_SIZE) {
            throw new IllegalArgumentException("event size must be >= " + MIN_SIZE + " bytes but was " + size);
        }
        String head = "{\"orderId\":\"order-1\",\"amount\":12345,\"note\":\"";
        String tail = "\"}";
        int pad = size - head.length() - tail.length();
        if (pad < 0) {
            head = "{\"n\":\"";
            pad = size - head.length() - tail.length();
        }
        char[] note = new char[pad];
        Arrays.fill(note, 'x');
        return new Payload(size, (head + new String(note) + tail).getBytes(StandardCharsets.UTF_8));
    }

    public String text() {
        return new String(json, StandardCharsets.UTF_8);
    }

    /** The note's length: what a POJO with orderId "order-1" and amount 12345 needs to serialize to this size. */
    public int noteLength() {
        return size - "{\"orderId\":\"order-1\",\"amount\":12345,\"note\":\"\"}".length();
    }
}
