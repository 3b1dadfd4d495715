package dev.strata.eventstore.internal.codec;

/**
 * The layout of one log record: one append, stored as one Chronicle excerpt, so an append is atomic.
 * Format version 1; little-endian; documented with its history in {@code docs/formats.md}.
 *
 * <pre>
 * record
 *   0  u32  crc      CRC32C of bytes [4, length): every other byte of the record
 *   4  u8   format   1
 *   5  u8   kind     1 = append
 *   6  u16  sections number of streams in the append (>= 1)
 *   8  i64  position global position of the first event; the others follow densely
 *  16  i64  time     commit time, microseconds since the epoch (shared by all events)
 *  24  u32  events   number of events over all sections (>= 1)
 *  28       sections, in append order
 * section
 *   +0 u8   n        stream name length (1..201)
 *   +1      stream   n bytes, ASCII
 *   +n+1 i64 version version of the section's first event; the others follow densely
 *   +n+9 u32 count   events in the section (>= 1)
 *   +n+13   events
 * event
 *   +0  i64 id (most significant bits), i64 id (least significant bits)
 *   +16 u8  t, type (t bytes, ASCII)
 *       u8  c, content type (c bytes, ASCII)
 *       u16 m, metadata entries: m x (u8 k, key (k bytes ASCII), u16 v, value (v bytes UTF-8))
 *       u32 d, data (d bytes)
 * </pre>
 *
 * The record's length is the excerpt's length. A record whose CRC fails is never returned to a reader.
 */
public final class RecordFormat {

    public static final int FORMAT_VERSION = 1;
    public static final int KIND_APPEND = 1;

    public static final int OFFSET_CRC = 0;
    public static final int OFFSET_FORMAT = 4;
    public static final int OFFSET_KIND = 5;
    public static final int OFFSET_SECTIONS = 6;
    public static final int OFFSET_POSITION = 8;
    public static final int OFFSET_TIME = 16;
    public static final int OFFSET_EVENTS = 24;
    public static final int HEADER_LENGTH = 28;

    /** Bytes of a section besides its stream name. */
    public static final int SECTION_FIXED = 1 + 8 + 4;
    /** Bytes of an event besides its type, content type, metadata entries and data. */
    public static final int EVENT_FIXED = 16 + 1 + 1 + 2 + 4;

    private RecordFormat() {
    }
}
