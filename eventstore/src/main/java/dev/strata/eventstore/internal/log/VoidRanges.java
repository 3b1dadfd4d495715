package dev.strata.eventstore.internal.log;

import dev.strata.eventstore.StorageException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * Log index ranges whose records no reader may see: the unacknowledged tail that recovery found beyond the
 * last whole record (a record torn or corrupted by a crash, and whatever Chronicle stored after it). Chronicle
 * cannot truncate a queue (CHRONICLE-NOTES.md section 3), so the records stay in the files and are fenced off
 * here; new appends continue after them with the next dense position.
 *
 * <pre>
 * file "void-ranges": a sequence of 24-byte entries, appended and synced by recovery before any new append
 * entry
 *   0 u32 crc     CRC32C of bytes [4, 24) of the entry
 *   4 u32 format  1
 *   8 i64 first   first voided log index
 *  16 i64 last    last voided log index (inclusive)
 * </pre>
 *
 * A torn last entry (a crash while recovery wrote it) fails its CRC and is ignored; the next recovery finds the
 * same tail and writes the entry again.
 */
public final class VoidRanges {

    public static final String FILE_NAME = "void-ranges";
    private static final int ENTRY = 24;
    private static final int FORMAT = 1;

    /** An inclusive range of log indexes. */
    public record Range(long first, long last) {
        boolean contains(long index) {
            return index >= first && index <= last;
        }
    }

    private volatile List<Range> ranges;
    private final Path file;

    private VoidRanges(Path file, List<Range> ranges) {
        this.file = file;
        this.ranges = ranges;
    }

    public static VoidRanges load(Path storeDirectory) {
        Path file = storeDirectory.resolve(FILE_NAME);
        List<Range> ranges = new ArrayList<>();
        if (Files.exists(file)) {
            try {
                byte[] bytes = Files.readAllBytes(file);
                ByteBuffer buffer = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
                for (int at = 0; at + ENTRY <= bytes.length; at += ENTRY) {
                    CRC32C crc = new CRC32C();
                    crc.update(bytes, at + 4, ENTRY - 4);
                    if ((int) crc.getValue() == buffer.getInt(at) && buffer.getInt(at + 4) == FORMAT) {
                        ranges.add(new Range(buffer.getLong(at + 8), buffer.getLong(at + 16)));
                    }
                }
            } catch (IOException e) {
                throw new StorageException("cannot read " + file + ": " + e.getMessage(), e);
            }
        }
        return new VoidRanges(file, List.copyOf(ranges));
    }

    public List<Range> ranges() {
        return ranges;
    }

    /** The range containing {@code index}, or null. Ranges are few (one per unclean shutdown that left garbage). */
    public Range find(long index) {
        for (Range range : ranges) {
            if (range.contains(index)) {
                return range;
            }
        }
        return null;
    }

    /** Appends a range and syncs it, before the writer may append after it. */
    public void add(long first, long last) {
        ByteBuffer entry = ByteBuffer.allocate(ENTRY).order(ByteOrder.LITTLE_ENDIAN);
        entry.putInt(4, FORMAT).putLong(8, first).putLong(16, last);
        CRC32C crc = new CRC32C();
        crc.update(entry.array(), 4, ENTRY - 4);
        entry.putInt(0, (int) crc.getValue());
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            long size = channel.size();
            long at = size - size % ENTRY; // drop a torn entry
            channel.write(entry, at);
            channel.truncate(at + ENTRY);
            channel.force(true);
        } catch (IOException e) {
            throw new StorageException("cannot write " + file + ": " + e.getMessage(), e);
        }
        List<Range> next = new ArrayList<>(ranges);
        next.add(new Range(first, last));
        ranges = List.copyOf(next);
    }
}
