package dev.strata.eventstore.internal.codec;

import dev.strata.eventstore.AppendRequest;
import dev.strata.eventstore.EventData;
import dev.strata.eventstore.ValidationException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * Encodes an append into a record on the appender's own thread, so the single writer only patches the
 * fields it owns (position, time, versions) and the CRC. The input is validated before this runs.
 */
public final class AppendEncoder {

    private AppendEncoder() {
    }

    public static EncodedAppend encode(List<AppendRequest> requests, int maxAppendBytes) {
        int size = RecordFormat.HEADER_LENGTH;
        int events = 0;
        byte[][][] metadataValues = new byte[requests.size()][][];
        for (int s = 0; s < requests.size(); s++) {
            AppendRequest request = requests.get(s);
            size += RecordFormat.SECTION_FIXED + request.stream().length();
            for (EventData event : request.events()) {
                size += RecordFormat.EVENT_FIXED + event.type().length() + event.contentType().length() + event.data().length;
                for (Map.Entry<String, String> entry : event.metadata().asMap().entrySet()) {
                    // Values are UTF-8; at most 3 bytes per char, bounded by Metadata.MAX_VALUE_LENGTH.
                    size += 1 + entry.getKey().length() + 2 + utf8Length(entry.getValue());
                }
                events++;
            }
            if (size > maxAppendBytes) {
                throw new ValidationException("append", "more than " + maxAppendBytes + " bytes encoded",
                        "must encode to at most maxAppendBytes (" + maxAppendBytes + ") bytes");
            }
        }
        byte[] buffer = new byte[size];
        Bytes.putInt(buffer, RecordFormat.OFFSET_CRC, 0);
        buffer[RecordFormat.OFFSET_FORMAT] = RecordFormat.FORMAT_VERSION;
        buffer[RecordFormat.OFFSET_KIND] = RecordFormat.KIND_APPEND;
        Bytes.putShort(buffer, RecordFormat.OFFSET_SECTIONS, requests.size());
        Bytes.putInt(buffer, RecordFormat.OFFSET_EVENTS, events);
        int[] versionOffsets = new int[requests.size()];
        int[] eventsStart = new int[requests.size()];
        int[] eventsEnd = new int[requests.size()];
        int at = RecordFormat.HEADER_LENGTH;
        for (int s = 0; s < requests.size(); s++) {
            AppendRequest request = requests.get(s);
            at = putAscii(buffer, at, request.stream());
            versionOffsets[s] = at;
            at += 8;
            Bytes.putInt(buffer, at, request.events().size());
            at += 4;
            eventsStart[s] = at;
            for (EventData event : request.events()) {
                at = encodeEvent(buffer, at, event);
            }
            eventsEnd[s] = at;
        }
        if (at != size) {
            throw new IllegalStateException("encoded " + at + " bytes but sized " + size);
        }
        return new EncodedAppend(requests, buffer, versionOffsets, eventsStart, eventsEnd, events);
    }

    private static int encodeEvent(byte[] buffer, int at, EventData event) {
        Bytes.putLong(buffer, at, event.id().getMostSignificantBits());
        Bytes.putLong(buffer, at + 8, event.id().getLeastSignificantBits());
        at += 16;
        at = putAscii(buffer, at, event.type());
        at = putAscii(buffer, at, event.contentType());
        Map<String, String> metadata = event.metadata().asMap();
        Bytes.putShort(buffer, at, metadata.size());
        at += 2;
        for (Map.Entry<String, String> entry : metadata.entrySet()) {
            at = putAscii(buffer, at, entry.getKey());
            byte[] value = entry.getValue().getBytes(StandardCharsets.UTF_8);
            Bytes.putShort(buffer, at, value.length);
            System.arraycopy(value, 0, buffer, at + 2, value.length);
            at += 2 + value.length;
        }
        byte[] data = event.data();
        Bytes.putInt(buffer, at, data.length);
        System.arraycopy(data, 0, buffer, at + 4, data.length);
        return at + 4 + data.length;
    }

    /** Writes a length-prefixed (u8) ASCII string; names, types and keys are validated ASCII of at most 255 chars. */
    private static int putAscii(byte[] buffer, int at, String text) {
        int length = text.length();
        buffer[at] = (byte) length;
        text.getBytes(0, length, buffer, at + 1); // deprecated but exact for ASCII, and allocation-free
        return at + 1 + length;
    }

    private static int utf8Length(String text) {
        int bytes = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                bytes++;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                bytes += 4;
                i++;
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }
}
