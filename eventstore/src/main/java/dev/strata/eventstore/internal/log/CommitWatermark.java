package dev.strata.eventstore.internal.log;

import dev.strata.eventstore.StorageException;
import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;

/**
 * The commit watermark: the last record readers may see ({@code committed}) and the last record known to be on
 * stable storage ({@code durable}). Written by the writer after every commit, read by other processes (tools)
 * to know what is acknowledged, and by recovery to know where to start checking and what corruption means.
 *
 * <pre>
 * file "watermark": 8 KiB, two slots at offsets 0 and 4096 (one page each), written alternately
 * slot
 *   0 u32 crc         CRC32C of bytes [4, 48) of the slot
 *   4 u32 format      1
 *   8 i64 generation  +1 per write; the valid slot with the higher generation wins
 *  16 i64 committed log index     (-1: none)
 *  24 i64 committed position      (-1: none)
 *  32 i64 durable log index       (-1: none)
 *  40 i64 durable position        (-1: none)
 * </pre>
 *
 * Alternating slots mean a write torn by a crash leaves the previous slot whole. The file is synced only at
 * close and recovery: in {@code FSYNC} mode it is written after the data it names is synced, so it can never
 * name more than is durable, only less, and recovery checks forward from it anyway.
 */
public final class CommitWatermark implements AutoCloseable {

    public static final String FILE_NAME = "watermark";
    static final int SLOT_SIZE = 4096;
    private static final int FILE_SIZE = 2 * SLOT_SIZE;
    private static final int FORMAT = 1;
    private static final int SLOT_LENGTH = 48;

    /** What a slot says. */
    public record Mark(long generation, long committedIndex, long committedPosition, long durableIndex, long durablePosition) {
        public static final Mark NONE = new Mark(0, -1, -1, -1, -1);
    }

    private final FileChannel channel;
    private final MappedByteBuffer map;
    private final boolean readOnly;
    private long generation;

    private CommitWatermark(FileChannel channel, MappedByteBuffer map, boolean readOnly) {
        this.channel = channel;
        this.map = map;
        this.readOnly = readOnly;
        map.order(ByteOrder.LITTLE_ENDIAN);
    }

    public static CommitWatermark open(Path storeDirectory, boolean readOnly) {
        Path file = storeDirectory.resolve(FILE_NAME);
        try {
            if (readOnly && !Files.exists(file)) {
                return null;
            }
            FileChannel channel = readOnly
                    ? FileChannel.open(file, StandardOpenOption.READ)
                    : FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
            if (!readOnly && channel.size() < FILE_SIZE) {
                channel.truncate(0);
                channel.write(java.nio.ByteBuffer.allocate(FILE_SIZE), 0);
                channel.force(true);
            }
            MappedByteBuffer map = channel.map(readOnly ? FileChannel.MapMode.READ_ONLY : FileChannel.MapMode.READ_WRITE, 0, FILE_SIZE);
            CommitWatermark watermark = new CommitWatermark(channel, map, readOnly);
            watermark.generation = watermark.read().generation();
            return watermark;
        } catch (IOException e) {
            throw new StorageException("cannot open " + file + ": " + e.getMessage(), e);
        }
    }

    /** The latest whole slot, or {@link Mark#NONE}. */
    public Mark read() {
        Mark a = readSlot(0);
        Mark b = readSlot(SLOT_SIZE);
        if (a == null) {
            return b == null ? Mark.NONE : b;
        }
        return b == null || a.generation() > b.generation() ? a : b;
    }

    private Mark readSlot(int offset) {
        if (map.getInt(offset + 4) != FORMAT) {
            return null;
        }
        CRC32C crc = new CRC32C();
        crc.update(map.slice(offset + 4, SLOT_LENGTH - 4));
        if ((int) crc.getValue() != map.getInt(offset)) {
            return null;
        }
        return new Mark(map.getLong(offset + 8), map.getLong(offset + 16), map.getLong(offset + 24),
                map.getLong(offset + 32), map.getLong(offset + 40));
    }

    /** Writes a new slot. Single writer thread only. */
    public void write(long committedIndex, long committedPosition, long durableIndex, long durablePosition) {
        if (readOnly) {
            throw new IllegalStateException("watermark opened read-only");
        }
        long next = ++generation;
        int offset = (int) (next & 1) * SLOT_SIZE;
        map.putInt(offset + 4, FORMAT);
        map.putLong(offset + 8, next);
        map.putLong(offset + 16, committedIndex);
        map.putLong(offset + 24, committedPosition);
        map.putLong(offset + 32, durableIndex);
        map.putLong(offset + 40, durablePosition);
        CRC32C crc = new CRC32C();
        crc.update(map.slice(offset + 4, SLOT_LENGTH - 4));
        map.putInt(offset, (int) crc.getValue());
    }

    /** Makes the latest slot durable. */
    public void sync() {
        map.force();
    }

    @Override
    public void close() {
        try {
            if (!readOnly) {
                map.force();
            }
            channel.close();
        } catch (IOException e) {
            throw new StorageException("cannot close watermark: " + e.getMessage(), e);
        }
    }
}
