package dev.strata.eventstore.internal.log;

import dev.strata.eventstore.StorageException;
import java.io.File;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.queue.impl.RollingResourcesCache;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.wire.DocumentContext;

/**
 * Cuts the log back to its last whole record. Chronicle Queue has no truncate (CHRONICLE-NOTES.md section 3), and
 * a damaged excerpt header in the middle of a file hides everything after it from sequential readers, so the cut
 * is physical: the valid prefix of the cycle holding the last good record is copied into a fresh cycle file
 * (appended under a clock fixed to that cycle, so every record keeps its log index), the fresh file replaces the
 * damaged one, and later cycle files are moved aside. Nothing is deleted: the damaged files go to
 * {@code discarded-<time>/} in the store folder for inspection.
 *
 * <p>Only recovery runs this, with the writer lock held and the queue closed. It is slow in proportion to the
 * cycle's size, and needed only after a power loss or a disk fault; a process crash never leaves a damaged tail
 * (an unfinished excerpt keeps header 0 and the next append overwrites it).
 */
final class LogTruncation {

    private LogTruncation() {
    }

    /** What was cut. */
    record Cut(Path discardedTo, List<String> files, long recordsKept) {
    }

    /**
     * Keeps every record up to and including {@code lastGood} (a log index, or -1 to keep nothing).
     */
    static Cut cutAfter(Path storeDirectory, Path logDirectory, RollCycle rollCycle, long blockSize, long lastGood) {
        Path discarded = storeDirectory.resolve("discarded-" + System.currentTimeMillis());
        Path rewrite = storeDirectory.resolve("log-rewrite");
        List<String> moved = new ArrayList<>();
        try {
            deleteRecursively(rewrite);
            Files.createDirectories(discarded);
            int keepCycle = lastGood < 0 ? Integer.MIN_VALUE : rollCycle.toCycle(lastGood);
            long kept = 0;
            if (lastGood >= 0) {
                kept = copyPrefix(logDirectory, rewrite, rollCycle, blockSize, keepCycle, lastGood);
            }
            try (DirectoryStream<Path> files = Files.newDirectoryStream(logDirectory, "*" + SingleChronicleQueue.SUFFIX)) {
                for (Path file : files) {
                    Integer cycle = cycleOf(file, rollCycle);
                    if (cycle == null || cycle >= keepCycle) {
                        Files.move(file, discarded.resolve(file.getFileName()));
                        moved.add(file.getFileName().toString());
                    }
                }
            }
            if (lastGood >= 0) {
                try (DirectoryStream<Path> files = Files.newDirectoryStream(rewrite, "*" + SingleChronicleQueue.SUFFIX)) {
                    for (Path file : files) {
                        Files.move(file, logDirectory.resolve(file.getFileName()), StandardCopyOption.ATOMIC_MOVE);
                    }
                }
            }
            // The metadata file caches the directory listing and sync marks of the files just replaced;
            // Chronicle rebuilds it from the cycle files on open.
            Path metadata = logDirectory.resolve(SingleChronicleQueue.QUEUE_METADATA_FILE);
            if (Files.exists(metadata)) {
                Files.move(metadata, discarded.resolve(metadata.getFileName()));
            }
            deleteRecursively(rewrite);
            syncDirectory(logDirectory);
            syncDirectory(storeDirectory);
            return new Cut(discarded, moved, kept);
        } catch (IOException e) {
            throw new StorageException("cannot cut the log in " + logDirectory + " back to log index "
                    + Long.toHexString(lastGood) + ": " + e.getMessage(), e);
        }
    }

    private static long copyPrefix(Path logDirectory, Path rewrite, RollCycle rollCycle, long blockSize, int cycle, long lastGood) {
        long cycleStart = (long) cycle * rollCycle.lengthInMillis();
        long copied = 0;
        try (SingleChronicleQueue source = SingleChronicleQueueBuilder.single(logDirectory.toFile())
                     .rollCycle(rollCycle).blockSize(blockSize).readOnly(true).build();
             SingleChronicleQueue target = SingleChronicleQueueBuilder.single(rewrite.toFile())
                     .rollCycle(rollCycle).blockSize(blockSize).timeProvider(() -> cycleStart).build();
             ExcerptTailer tailer = source.createTailer();
             ExcerptAppender appender = target.createAppender()) {
            if (!tailer.moveToIndex(rollCycle.toIndex(cycle, 0))) {
                throw new StorageException("cannot reach the start of log cycle " + cycle + " to rewrite it", null);
            }
            Bytes<?> buffer = Bytes.allocateElasticOnHeap(4096);
            while (true) {
                long index;
                try (DocumentContext dc = tailer.readingDocument()) {
                    if (!dc.isPresent() || dc.index() > lastGood) {
                        dc.rollbackOnClose();
                        break;
                    }
                    index = dc.index();
                    buffer.clear();
                    buffer.write(dc.wire().bytes());
                }
                try (DocumentContext out = appender.writingDocument()) {
                    out.wire().bytes().write(buffer);
                }
                if (appender.lastIndexAppended() != index) {
                    throw new StorageException("rewriting log cycle " + cycle + " gave index " + Long.toHexString(appender.lastIndexAppended())
                            + " to the record at " + Long.toHexString(index), null);
                }
                copied++;
            }
            if (copied == 0 || appender.lastIndexAppended() != lastGood) {
                throw new StorageException("rewriting log cycle " + cycle + " stopped before log index " + Long.toHexString(lastGood), null);
            }
            buffer.releaseLast();
        }
        return copied;
    }

    private static Integer cycleOf(Path file, RollCycle rollCycle) {
        String name = file.getFileName().toString();
        RollingResourcesCache names = new RollingResourcesCache(rollCycle, 0, text -> new File(text), File::getName);
        try {
            return names.parseCount(name.substring(0, name.length() - SingleChronicleQueue.SUFFIX.length()));
        } catch (RuntimeException e) {
            return null; // not a cycle file of this roll cycle: move it aside with the damaged ones
        }
    }

    static void syncDirectory(Path directory) throws IOException {
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }

    private static void deleteRecursively(Path path) throws IOException {
        if (!Files.exists(path)) {
            return;
        }
        try (var walk = Files.walk(path)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
