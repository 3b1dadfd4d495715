package dev.strata.eventstore.internal.log;

import dev.strata.eventstore.CorruptLogException;
import dev.strata.eventstore.internal.codec.RecordView;
import java.nio.file.Path;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.wire.DocumentContext;

/**
 * Reads records from the log in order: whole (CRC-checked) and up to a limit (the commit watermark). One per
 * reading thread; holds a Chronicle tailer until closed.
 */
public final class LogCursor implements AutoCloseable {

    private final SingleChronicleQueue queue;
    private final PositionMap positions;
    private final Path directory;
    private final ExcerptTailer tailer;
    private final RecordView view = new RecordView();
    private byte[] buffer = new byte[4096];
    private long index = -1;
    private long endOffset;
    private long lastIndexRead = -1;
    private boolean refreshed;
    private CursorPool pool;

    LogCursor(SingleChronicleQueue queue, PositionMap positions, Path directory) {
        this.queue = queue;
        this.positions = positions;
        this.directory = directory;
        this.tailer = queue.createTailer();
    }

    /** Positions the cursor at the start of the log. */
    public void toStart() {
        tailer.toStart();
        lastIndexRead = -1;
    }

    /** Positions the cursor so that {@link #next} returns the record at {@code logIndex}. */
    public void seekIndex(long logIndex) {
        if (!tailer.moveToIndex(logIndex)) {
            throw new CorruptLogException("log index " + Long.toHexString(logIndex) + " cannot be reached", directory, logIndex);
        }
        lastIndexRead = logIndex - 1;
    }

    /**
     * Positions the cursor so that {@link #next} returns the record holding {@code position}, or the first record
     * after it if it is not stored yet. Skips records by their header alone, without copying them.
     */
    public void seekPosition(long position, Commit limit) {
        long start = positions.floorIndex(position);
        if (start < 0) {
            toStart();
        } else {
            seekIndex(start);
        }
        while (true) {
            try (DocumentContext dc = tailer.readingDocument()) {
                if (!dc.isPresent()) {
                    return;
                }
                long at = dc.index();
                if (at > limit.index()) {
                    dc.rollbackOnClose();
                    return;
                }
                Bytes<?> bytes = dc.wire().bytes();
                long first = bytes.readLong(bytes.readPosition() + 8);
                int count = bytes.readInt(bytes.readPosition() + 24);
                if (first + count - 1 >= position) {
                    dc.rollbackOnClose();
                    return;
                }
                lastIndexRead = at;
            }
        }
    }

    /**
     * Reads the next record at or below {@code limit} into {@link #view()}.
     *
     * @return false at the end of what {@code limit} allows
     * @throws CorruptLogException if a committed record is damaged or cannot be reached
     */
    public boolean next(Commit limit) {
        while (true) {
            try (DocumentContext dc = tailer.readingDocument()) {
                if (!dc.isPresent()) {
                    if (skipHoleOrEnd(limit)) {
                        continue;
                    }
                    return false;
                }
                long at = dc.index();
                if (at > limit.index()) {
                    dc.rollbackOnClose();
                    return false;
                }
                Bytes<?> bytes = dc.wire().bytes();
                int length = (int) bytes.readRemaining();
                if (buffer.length < length) {
                    buffer = new byte[Math.max(length, buffer.length * 2)];
                }
                bytes.read(buffer, 0, length);
                String damage = view.wrap(buffer, length);
                if (damage != null) {
                    throw new CorruptLogException("record at log index " + Long.toHexString(at) + " is damaged: " + damage,
                            directory, at);
                }
                index = at;
                lastIndexRead = at;
                refreshed = false;
                return true;
            }
        }
    }

    /**
     * Reads the next record without a limit and without throwing on damage: recovery's view of the raw tail.
     *
     * @return null if a whole record was read into {@link #view()}, "end" at the end, else what is wrong
     */
    public String nextRaw() {
        {
            try (DocumentContext dc = tailer.readingDocument()) {
                if (!dc.isPresent()) {
                    return "end";
                }
                long at = dc.index();
                index = at;
                lastIndexRead = at;
                Bytes<?> bytes = dc.wire().bytes();
                endOffset = bytes.readLimit();
                int length = (int) bytes.readRemaining();
                if (buffer.length < length) {
                    buffer = new byte[Math.max(length, buffer.length * 2)];
                }
                bytes.read(buffer, 0, length);
                return view.wrap(buffer, length);
            }
        }
    }

    /**
     * Chronicle reports "no document" both at the real end and at a damaged header, which hides the rest of the
     * file. Below the commit watermark there must be more, so that is corruption, not the end.
     */
    private boolean skipHoleOrEnd(Commit limit) {
        if (lastIndexRead >= limit.index()) {
            return false;
        }
        if (!refreshed) {
            // A new cycle file this process has not listed yet (another process writes it).
            refreshed = true;
            queue.refreshDirectoryListing();
            return true;
        }
        // The writer publishes the watermark after the record is complete, so this is not a race.
        throw new CorruptLogException("the log ends at log index " + Long.toHexString(lastIndexRead)
                + " but the commit watermark is at " + Long.toHexString(limit.index()), directory, lastIndexRead + 1);
    }

    public RecordView view() {
        return view;
    }

    /** Offset in its cycle file where the record last read by {@link #nextRaw} ends. */
    long endOffset() {
        return endOffset;
    }

    /** Log index of the record in {@link #view()}. */
    public long index() {
        return index;
    }

    void pool(CursorPool owner) {
        this.pool = owner;
    }

    /** Another thread takes this cursor over (from a pool). */
    void handOver() {
        tailer.singleThreadedCheckReset();
        refreshed = false;
    }

    /** Gives a pooled cursor back, or closes its tailer. */
    @Override
    public void close() {
        if (pool != null) {
            CursorPool owner = pool;
            pool = null;
            owner.giveBack(this);
        } else {
            release();
        }
    }

    void release() {
        tailer.close();
    }
}
