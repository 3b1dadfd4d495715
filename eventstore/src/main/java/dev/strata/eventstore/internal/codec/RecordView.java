package dev.strata.eventstore.internal.codec;

import dev.strata.eventstore.Metadata;
import dev.strata.eventstore.RecordedEvent;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.UUID;
import java.util.zip.CRC32C;

/**
 * A parsed view of one record in a byte array. {@link #wrap} checks the CRC and the structure once; the
 * accessors then read fields without further checks. Reusable, not thread-safe: one per reader.
 */
public final class RecordView {

    private byte[] buffer = new byte[0];
    private int length;
    private int sections;
    private int events;
    private long firstPosition;
    private long timeMicros;
    private Instant time;

    private String[] sectionStream = new String[4];
    private long[] sectionFirstVersion = new long[4];
    private int[] sectionFirstEvent = new int[4];
    private int[] sectionCount = new int[4];
    private int[] eventOffset = new int[64];
    private int[] eventSection = new int[64];

    /**
     * Parses {@code length} bytes of {@code buffer} (not copied: keep it unchanged while the view is used).
     *
     * @return null if the record is whole, else why it is not (a checksum or structure failure)
     */
    public String wrap(byte[] buffer, int length) {
        this.buffer = buffer;
        this.length = length;
        if (length < RecordFormat.HEADER_LENGTH) {
            return "record of " + length + " bytes is shorter than a header";
        }
        CRC32C crc = new CRC32C();
        crc.update(buffer, 4, length - 4);
        int stored = Bytes.getInt(buffer, RecordFormat.OFFSET_CRC);
        if ((int) crc.getValue() != stored) {
            return "checksum mismatch: stored " + Integer.toHexString(stored) + ", computed " + Long.toHexString(crc.getValue());
        }
        if (buffer[RecordFormat.OFFSET_FORMAT] != RecordFormat.FORMAT_VERSION) {
            return "unknown record format " + buffer[RecordFormat.OFFSET_FORMAT];
        }
        if (buffer[RecordFormat.OFFSET_KIND] != RecordFormat.KIND_APPEND) {
            return "unknown record kind " + buffer[RecordFormat.OFFSET_KIND];
        }
        try {
            return parse();
        } catch (ArrayIndexOutOfBoundsException | IllegalArgumentException e) {
            return "malformed record: " + e.getMessage();
        }
    }

    private String parse() {
        sections = Bytes.getUnsignedShort(buffer, RecordFormat.OFFSET_SECTIONS);
        firstPosition = Bytes.getLong(buffer, RecordFormat.OFFSET_POSITION);
        timeMicros = Bytes.getLong(buffer, RecordFormat.OFFSET_TIME);
        time = null;
        events = Bytes.getInt(buffer, RecordFormat.OFFSET_EVENTS);
        if (sections < 1 || events < 1 || firstPosition < 0) {
            return "malformed record header: " + sections + " sections, " + events + " events, position " + firstPosition;
        }
        ensureCapacity(sections, events);
        int at = RecordFormat.HEADER_LENGTH;
        int event = 0;
        for (int s = 0; s < sections; s++) {
            int nameLength = buffer[at] & 0xff;
            sectionStream[s] = ascii(at + 1, nameLength);
            at += 1 + nameLength;
            sectionFirstVersion[s] = Bytes.getLong(buffer, at);
            int count = Bytes.getInt(buffer, at + 8);
            at += 12;
            if (count < 1 || event + count > events) {
                return "malformed section " + s + ": " + count + " events";
            }
            sectionFirstEvent[s] = event;
            sectionCount[s] = count;
            for (int e = 0; e < count; e++, event++) {
                eventOffset[event] = at;
                eventSection[event] = s;
                at = skipEvent(at);
            }
        }
        if (event != events || at != length) {
            return "malformed record: " + event + " of " + events + " events, " + at + " of " + length + " bytes";
        }
        return null;
    }

    private int skipEvent(int at) {
        at += 16;
        at += 1 + (buffer[at] & 0xff);
        at += 1 + (buffer[at] & 0xff);
        int entries = Bytes.getUnsignedShort(buffer, at);
        at += 2;
        for (int i = 0; i < entries; i++) {
            at += 1 + (buffer[at] & 0xff);
            at += 2 + Bytes.getUnsignedShort(buffer, at);
        }
        int data = Bytes.getInt(buffer, at);
        if (data < 0 || at + 4 + data > length) {
            throw new IllegalArgumentException("data length " + data + " at " + at);
        }
        return at + 4 + data;
    }

    public int length() {
        return length;
    }

    public byte[] buffer() {
        return buffer;
    }

    public long firstPosition() {
        return firstPosition;
    }

    public long lastPosition() {
        return firstPosition + events - 1;
    }

    public long timeMicros() {
        return timeMicros;
    }

    public int sectionCount() {
        return sections;
    }

    public int eventCount() {
        return events;
    }

    public String sectionStream(int section) {
        return sectionStream[section];
    }

    public long sectionFirstVersion(int section) {
        return sectionFirstVersion[section];
    }

    public int sectionEventCount(int section) {
        return sectionCount[section];
    }

    /** The index, in record order, of the section's first event; its position is {@code firstPosition() + that}. */
    public int sectionFirstEvent(int section) {
        return sectionFirstEvent[section];
    }

    public long sectionFirstPosition(int section) {
        return firstPosition + sectionFirstEvent[section];
    }

    /** Offset of the section's first event and end of its last: the bytes a retry must repeat. */
    public int sectionEventsStart(int section) {
        return eventOffset[sectionFirstEvent[section]];
    }

    public int sectionEventsEnd(int section) {
        int next = sectionFirstEvent[section] + sectionCount[section];
        return next < events ? eventOffset[next] - nextSectionHeader(section + 1) : length;
    }

    private int nextSectionHeader(int section) {
        return RecordFormat.SECTION_FIXED + sectionStream[section].length();
    }

    public int eventSection(int event) {
        return eventSection[event];
    }

    public UUID eventId(int event) {
        int at = eventOffset[event];
        return new UUID(Bytes.getLong(buffer, at), Bytes.getLong(buffer, at + 8));
    }

    public long eventIdMostSignificant(int event) {
        return Bytes.getLong(buffer, eventOffset[event]);
    }

    public long eventIdLeastSignificant(int event) {
        return Bytes.getLong(buffer, eventOffset[event] + 8);
    }

    public Instant time() {
        if (time == null) {
            time = Instant.ofEpochSecond(Math.floorDiv(timeMicros, 1_000_000L), Math.floorMod(timeMicros, 1_000_000L) * 1000L);
        }
        return time;
    }

    /** Decodes event {@code event} (record order) as stored. */
    public RecordedEvent event(int event) {
        int section = eventSection[event];
        int at = eventOffset[event];
        UUID id = new UUID(Bytes.getLong(buffer, at), Bytes.getLong(buffer, at + 8));
        at += 16;
        int typeLength = buffer[at] & 0xff;
        String type = ascii(at + 1, typeLength);
        at += 1 + typeLength;
        int contentTypeLength = buffer[at] & 0xff;
        String contentType = ascii(at + 1, contentTypeLength);
        at += 1 + contentTypeLength;
        int entries = Bytes.getUnsignedShort(buffer, at);
        at += 2;
        Metadata metadata;
        if (entries == 0) {
            metadata = Metadata.empty();
        } else {
            LinkedHashMap<String, String> map = new LinkedHashMap<>();
            for (int i = 0; i < entries; i++) {
                int keyLength = buffer[at] & 0xff;
                String key = ascii(at + 1, keyLength);
                at += 1 + keyLength;
                int valueLength = Bytes.getUnsignedShort(buffer, at);
                map.put(key, new String(buffer, at + 2, valueLength, StandardCharsets.UTF_8));
                at += 2 + valueLength;
            }
            metadata = Metadata.of(map);
        }
        int dataLength = Bytes.getInt(buffer, at);
        byte[] data = Arrays.copyOfRange(buffer, at + 4, at + 4 + dataLength);
        long version = sectionFirstVersion[section] + (event - sectionFirstEvent[section]);
        return new RecordedEvent(id, sectionStream[section], version, firstPosition + event, type, time(), contentType,
                metadata, data);
    }

    private String ascii(int at, int length) {
        return new String(buffer, at, length, StandardCharsets.ISO_8859_1);
    }

    private void ensureCapacity(int sectionsNeeded, int eventsNeeded) {
        if (sectionStream.length < sectionsNeeded) {
            int n = Math.max(sectionsNeeded, sectionStream.length * 2);
            sectionStream = new String[n];
            sectionFirstVersion = new long[n];
            sectionFirstEvent = new int[n];
            sectionCount = new int[n];
        }
        if (eventOffset.length < eventsNeeded) {
            int n = Math.max(eventsNeeded, eventOffset.length * 2);
            eventOffset = new int[n];
            eventSection = new int[n];
        }
    }
}
