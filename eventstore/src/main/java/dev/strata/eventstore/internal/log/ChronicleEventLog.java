package dev.strata.eventstore.internal.log;

import dev.strata.eventstore.CorruptLogException;
import dev.strata.eventstore.StorageException;
import dev.strata.eventstore.internal.codec.RecordView;
import java.io.File;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Iterator;
import java.util.Map;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.queue.RollCycles;
import net.openhft.chronicle.queue.impl.TableStore;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueStore;
import net.openhft.chronicle.queue.impl.single.TableStoreWriteLock;
import net.openhft.chronicle.queue.impl.table.Metadata;
import net.openhft.chronicle.queue.impl.table.SingleTableBuilder;
import net.openhft.chronicle.queue.rollcycles.TestRollCycles;
import net.openhft.chronicle.threads.BusyTimedPauser;
import net.openhft.chronicle.wire.DocumentContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The event log on Chronicle Queue: records appended by one writer thread, made durable by {@code fdatasync} of
 * the cycle files, published through the {@link CommitWatermark}, recovered on open.
 *
 * <p>Files in the store directory: {@code log/} (Chronicle's cycle files {@code *.cq4} and {@code metadata.cq4t}),
 * {@code watermark}, {@code writer.lock}.
 *
 * <h2>Commit protocol</h2>
 * The writer appends a batch of records, then ({@code FSYNC}) forces every cycle file the batch touched (not
 * Chronicle's {@code sync()}, which leaves pages dirty at chunk boundaries), then writes the watermark, then
 * publishes the commit to in-process readers, then acknowledges. Readers never go past the published commit.
 *
 * <h2>Recovery on open</h2>
 * Starting at the durable watermark, every following record must be whole (CRC) and continue the dense positions.
 * The first one that is not, and everything Chronicle holds after it, is a torn tail: the log is cut back to the
 * last whole record ({@link LogTruncation}) and the cut is logged once with file, position and what was dropped.
 * A damaged record at or below the durable watermark is not a torn tail but corruption: open fails and names it.
 * After a process crash there is nothing to cut: an unfinished excerpt keeps header 0, readers stop before it and
 * the next append overwrites it.
 */
public final class ChronicleEventLog implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ChronicleEventLog.class);
    public static final String LOG_DIRECTORY = "log";
    private static final int NOT_COMPLETE = 0x80000000;
    private static final int META_DATA = 0x40000000;

    private final Path directory;
    private final Path logDirectory;
    private final boolean readOnly;
    private final boolean fsync;
    private final WriterLock lock;
    private final String rollCycle;
    private final long blockSize;
    private SingleChronicleQueue queue;
    private final CommitWatermark watermark;
    private final PositionMap positions = new PositionMap();

    // Writer-thread state.
    private ExcerptAppender appender;
    private final Map<Integer, FileChannel> syncChannels = new HashMap<>();
    private final LinkedHashMap<Integer, File> touchedCycles = new LinkedHashMap<>();
    private int lastCycle = Integer.MIN_VALUE;
    private final SpaceReservation space = new SpaceReservation();
    private File lastFile;
    private long lastEnd;
    private Commit written = Commit.NONE;
    private Commit durable = Commit.NONE;
    private long syncs;

    private volatile Commit committed = Commit.NONE;

    private ChronicleEventLog(Path directory, boolean readOnly, boolean fsync, WriterLock lock, String rollCycle,
                              long blockSize) {
        this.directory = directory;
        this.logDirectory = directory.resolve(LOG_DIRECTORY);
        this.readOnly = readOnly;
        this.fsync = fsync;
        this.lock = lock;
        this.rollCycle = rollCycle;
        this.blockSize = blockSize;
        this.watermark = CommitWatermark.open(directory, readOnly);
        this.queue = openQueue();
    }

    private SingleChronicleQueue openQueue() {
        return SingleChronicleQueueBuilder.single(logDirectory.toFile())
                .rollCycle(rollCycle(rollCycle))
                .blockSize(blockSize)
                .timeoutMS(2_000)
                .readOnly(readOnly)
                .build();
    }

    /**
     * Opens the log for writing: takes the writer lock, clears what a dead writer left, recovers the tail.
     *
     * @param fsync whether commits force the data to stable storage ({@code FSYNC} durability)
     */
    public static ChronicleEventLog openForWriting(Path directory, boolean fsync, String rollCycle, long blockSize) {
        try {
            Files.createDirectories(directory.resolve(LOG_DIRECTORY));
        } catch (IOException e) {
            throw new StorageException("cannot create " + directory + ": " + e.getMessage(), e);
        }
        WriterLock lock = WriterLock.acquire(directory);
        try {
            // Our OS lock proves no other writer is alive, so any Chronicle write lock left behind is stale
            // (a dead process, or our own PID reused after a restart: CHRONICLE-NOTES.md section 1).
            clearChronicleLocks(directory.resolve(LOG_DIRECTORY));
            discardUnfinishedCycleFiles(directory.resolve(LOG_DIRECTORY));
            ChronicleEventLog log = new ChronicleEventLog(directory, false, fsync, lock, rollCycle, blockSize);
            try {
                log.recover();
                return log;
            } catch (RuntimeException e) {
                log.closeFiles();
                throw e;
            }
        } catch (RuntimeException e) {
            lock.close();
            throw e;
        }
    }

    /**
     * Opens the log of a store that another process may be writing, to read what it had committed at this moment:
     * a snapshot (a record written later is not visible through this instance).
     */
    public static ChronicleEventLog openReadOnly(Path directory, String rollCycle, long blockSize) {
        if (!Files.isDirectory(directory.resolve(LOG_DIRECTORY))) {
            throw new StorageException("no store in " + directory + " (no " + LOG_DIRECTORY + " folder)", null);
        }
        ChronicleEventLog log = new ChronicleEventLog(directory, true, false, null, rollCycle, blockSize);
        log.committed = log.readWatermark();
        return log;
    }

    private static RollCycle rollCycle(String name) {
        for (RollCycles cycle : RollCycles.values()) {
            if (cycle.name().equals(name)) {
                return cycle;
            }
        }
        return TestRollCycles.valueOf(name);
    }

    private static void clearChronicleLocks(Path logDirectory) {
        File metadata = logDirectory.resolve(SingleChronicleQueue.QUEUE_METADATA_FILE).toFile();
        if (!metadata.exists()) {
            return;
        }
        // The metadata file names its classes by alias; in a fresh JVM nothing has registered them yet.
        SingleChronicleQueueBuilder.addAliases();
        try (TableStore<?> store = SingleTableBuilder.binary(metadata, Metadata.NoMeta.INSTANCE).readOnly(false).build()) {
            new TableStoreWriteLock(store, BusyTimedPauser::new, 0L, TableStoreWriteLock.APPEND_LOCK_KEY).forceUnlock();
            new TableStoreWriteLock(store, BusyTimedPauser::new, 0L).forceUnlock();
        }
    }

    /**
     * A cycle file whose first header is not a complete meta-data header cannot hold records (a crash while
     * Chronicle created it); left in place it costs a timeout on every open (CHRONICLE-NOTES.md section 1).
     */
    private static void discardUnfinishedCycleFiles(Path logDirectory) {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(logDirectory, "*" + SingleChronicleQueue.SUFFIX)) {
            for (Path file : files) {
                int header = 0;
                long size = Files.size(file);
                if (size >= 4) {
                    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
                        ByteBuffer buffer = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
                        channel.read(buffer, 0);
                        header = buffer.getInt(0);
                    }
                }
                boolean complete = (header & NOT_COMPLETE) == 0 && (header & META_DATA) != 0 && (header & 0x3fffffff) != 0;
                if (!complete) {
                    Path aside = file.resolveSibling(file.getFileName() + "-" + System.currentTimeMillis() + SingleChronicleQueue.DISCARD_FILE_SUFFIX);
                    Files.move(file, aside);
                    LOG.warn("Moved aside unfinished log file {} ({} bytes, header {}): a crash while it was created; it holds no records",
                            file, size, Integer.toHexString(header));
                }
            }
        } catch (IOException e) {
            throw new StorageException("cannot check log files in " + logDirectory + ": " + e.getMessage(), e);
        }
    }

    private void recover() {
        CommitWatermark.Mark mark = watermark.read();
        Tail tail = scanTail(new Commit(mark.durableIndex(), mark.durablePosition()));
        long chronicleLast = queue.lastIndex();
        if (tail.damage() != null || chronicleLast > tail.good().index() || chronicleKnowsMoreThan(tail)) {
            Commit good = tail.good();
            String what = tail.damage() != null ? tail.damage() : "records after a damaged header";
            long bytesDropped = bytesAfter(tail);
            RollCycle cycles = queue.rollCycle();
            queue.close();
            LogTruncation.Cut cut = LogTruncation.cutAfter(directory, logDirectory, cycles, blockSize, good.index());
            queue = openQueue();
            if (good.position() < mark.committedPosition()) {
                LOG.error("Recovery lost acknowledged events {}..{}: they were acknowledged in OS durability and did not reach the disk before a power loss or OS crash",
                        good.position() + 1, mark.committedPosition());
            }
            LOG.warn("Cut a torn log tail after position {} (log index {}, file {}): {} at log index {}; dropped log indexes up to {}, "
                            + "about {} bytes of that file{}; the damaged files {} are kept in {}; appends continue at position {}",
                    good.position(), Long.toHexString(good.index()), cut.files().isEmpty() ? "-" : cut.files().get(0), what,
                    Long.toHexString(tail.badIndex()), Long.toHexString(chronicleLast), bytesDropped,
                    cut.files().size() > 1 ? " and " + (cut.files().size() - 1) + " later files" : "", cut.files(), cut.discardedTo(),
                    good.position() + 1);
            Tail after = scanTail(good);
            if (after.damage() != null || !after.good().equals(good) || queue.lastIndex() != good.index()) {
                throw new CorruptLogException("the log still ends badly after cutting it back to position " + good.position()
                        + ": " + after.damage(), logDirectory, after.badIndex());
            }
        }
        Commit good = tail.good();
        written = good;
        durable = good;
        committed = good;
        watermark.write(good.index(), good.position(), good.index(), good.position());
        watermark.sync();
    }

    /**
     * Whether Chronicle's own write position (the header of the last excerpt it wrote) lies at or after the end of
     * the last good record: then the next append would start from a damaged header (a flipped length sends it
     * anywhere), so the tail must be cut even if no reader can see past the damage.
     */
    private boolean chronicleKnowsMoreThan(Tail tail) {
        if (tail.good().index() < 0) {
            return false;
        }
        int cycle = queue.rollCycle().toCycle(tail.good().index());
        SingleChronicleQueueStore store = queue.storeForCycle(cycle, queue.epoch(), false, null);
        try {
            return store != null && store.writePosition() >= tail.goodEnd();
        } finally {
            queue.closeStore(store);
        }
    }

    /** Bytes Chronicle holds after the last good record in its file: up to the end of the last excerpt it wrote. */
    private long bytesAfter(Tail tail) {
        if (tail.good().index() < 0) {
            return 0;
        }
        int cycle = queue.rollCycle().toCycle(tail.good().index());
        SingleChronicleQueueStore store = queue.storeForCycle(cycle, queue.epoch(), false, null);
        if (store == null) {
            return 0;
        }
        try {
            long last = store.writePosition();
            int header = store.bytes().readVolatileInt(last);
            return Math.max(0, last + 4 + (header & 0x3fffffff) - tail.goodEnd());
        } catch (RuntimeException e) {
            return 0;
        } finally {
            queue.closeStore(store);
        }
    }

    /** The last whole record from {@code start} on (ending at {@code goodEnd} in its file), and the first that is not. */
    private record Tail(Commit good, long goodEnd, String damage, long badIndex) {
    }

    private Tail scanTail(Commit start) {
        try (LogCursor cursor = cursor()) {
            Commit good;
            if (start.index() >= 0) {
                cursor.seekIndex(start.index());
                String atStart = cursor.nextRaw();
                if (atStart != null || cursor.view().lastPosition() != start.position()) {
                    throw new CorruptLogException("the durable commit watermark names position " + start.position()
                            + " but that record is " + (atStart != null ? atStart : "at position " + cursor.view().lastPosition())
                            + "; the log below the watermark is damaged (run strata verify)", logDirectory, start.index());
                }
                good = start;
            } else {
                cursor.toStart();
                good = Commit.NONE;
            }
            long goodEnd = cursor.endOffset();
            while (true) {
                String damage = cursor.nextRaw();
                if ("end".equals(damage)) {
                    return new Tail(good, goodEnd, null, good.index() + 1);
                }
                if (damage != null) {
                    return new Tail(good, goodEnd, damage, cursor.index());
                }
                RecordView view = cursor.view();
                if (view.firstPosition() != good.position() + 1) {
                    return new Tail(good, goodEnd, "position " + view.firstPosition() + " where " + (good.position() + 1)
                            + " was expected", cursor.index());
                }
                good = new Commit(cursor.index(), view.lastPosition());
                goodEnd = cursor.endOffset();
            }
        }
    }

    /**
     * Fills the (empty) position map by reading every committed record's header: for tools that open a log
     * without its index. The store itself loads the map from the index and reads only what the index lacks.
     */
    public void rebuildPositionMap() {
        Commit upTo = committed();
        try (LogCursor cursor = cursor()) {
            cursor.toStart();
            while (cursor.next(upTo)) {
                positions.record(cursor.index(), cursor.view().firstPosition(), cursor.view().lastPosition());
            }
        }
    }

    /** A new cursor; close it on the thread that opened it. */
    public LogCursor cursor() {
        return new LogCursor(queue, positions, logDirectory);
    }

    /** What readers may see: the last committed record. */
    public Commit committed() {
        return committed;
    }

    private Commit readWatermark() {
        CommitWatermark.Mark mark = watermark == null ? CommitWatermark.Mark.NONE : watermark.read();
        return new Commit(mark.committedIndex(), mark.committedPosition());
    }

    public PositionMap positions() {
        return positions;
    }

    public Path directory() {
        return directory;
    }

    /**
     * Appends one record. Writer thread only.
     *
     * @return the record's log index
     */
    public long append(byte[] record, int length, long firstPosition, long lastPosition) {
        if (appender == null) {
            appender = queue.createAppender();
        }
        space.ensure(lastFile, lastEnd + 4 + length);
        DocumentContext dc = appender.writingDocument();
        try {
            dc.wire().bytes().write(record, 0, length);
            lastEnd = dc.wire().bytes().writePosition();
        } catch (RuntimeException | Error e) {
            dc.rollbackOnClose();
            throw e;
        } finally {
            dc.close();
        }
        lastFile = appender.currentFile();
        // Reserve room for the next record now, so the index arrays Chronicle writes before it are covered too.
        try {
            space.ensure(lastFile, lastEnd);
        } catch (StorageException e) {
            LOG.debug("no room reserved ahead; the next append checks again", e);
        }
        long index = appender.lastIndexAppended();
        int cycle = appender.cycle();
        if (cycle != lastCycle) {
            touchedCycles.put(cycle, appender.currentFile());
            lastCycle = cycle;
        }
        positions.record(index, firstPosition, lastPosition);
        written = new Commit(index, lastPosition);
        return index;
    }

    /** The last record appended, committed or not. Writer thread only. */
    public Commit written() {
        return written;
    }

    /**
     * Makes everything appended so far visible to readers; in {@code FSYNC} mode first forces it to stable storage.
     * Writer thread only.
     */
    public void commit() {
        if (fsync) {
            force();
        }
        Commit upTo = written;
        watermark.write(upTo.index(), upTo.position(), durable.index(), durable.position());
        committed = upTo;
    }

    /** Forces everything appended so far to stable storage (group commit, or a background sync in OS mode). */
    public void force() {
        Commit upTo = written;
        if (upTo.equals(durable)) {
            return;
        }
        try {
            for (Map.Entry<Integer, File> cycle : touchedCycles.entrySet()) {
                FileChannel channel = syncChannels.get(cycle.getKey());
                if (channel == null) {
                    channel = openSyncChannel(cycle.getKey(), cycle.getValue());
                }
                channel.force(false);
            }
        } catch (IOException e) {
            throw new StorageException("cannot sync the log in " + logDirectory + ": " + e.getMessage(), e, true, true);
        }
        syncs++;
        durable = upTo;
        // Keep only the cycle being written: the next batch touches it and maybe a new one.
        if (touchedCycles.size() > 1) {
            Iterator<Integer> cycles = touchedCycles.keySet().iterator();
            for (int i = touchedCycles.size(); i > 1; i--) {
                closeQuietly(syncChannels.remove(cycles.next()));
                cycles.remove();
            }
        }
    }

    private FileChannel openSyncChannel(int cycle, File file) throws IOException {
        if (file == null) {
            throw new IOException("no file known for cycle " + cycle);
        }
        FileChannel channel = FileChannel.open(file.toPath(), StandardOpenOption.WRITE);
        syncChannels.put(cycle, channel);
        // A new cycle file: make its directory entry durable too, once.
        try (FileChannel dir = FileChannel.open(logDirectory, StandardOpenOption.READ)) {
            dir.force(true);
        }
        return channel;
    }

    /** Number of syncs so far (for the metrics). */
    public long syncs() {
        return syncs;
    }

    /** Syncs what was committed and writes a final watermark. Writer thread, after the last commit. */
    public void syncOnClose() {
        force();
        watermark.write(written.index(), written.position(), durable.index(), durable.position());
        watermark.sync();
    }

    @Override
    public void close() {
        closeFiles();
        if (lock != null) {
            lock.close();
        }
    }

    private void closeFiles() {
        space.close();
        syncChannels.values().forEach(ChronicleEventLog::closeQuietly);
        syncChannels.clear();
        if (appender != null) {
            appender.close();
        }
        queue.close();
        if (watermark != null) {
            watermark.close();
        }
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException e) {
                LOG.debug("closing a sync channel failed", e);
            }
        }
    }
}
