package dev.strata.bench.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.RollCycles;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.wire.DocumentContext;
import org.HdrHistogram.Histogram;

/**
 * The raw limits Strata is measured against, run in the same process as Strata's own figures: what Chronicle,
 * the disk and the JVM can do without any of Strata's work.
 */
final class Baselines {

    private Baselines() {
    }

    /** Raw Chronicle: one excerpt of {@code size} bytes per event, one thread. Events per second. */
    static double chronicleAppend(Path directory, int events, int size) {
        byte[] payload = new byte[size];
        try (SingleChronicleQueue queue = SingleChronicleQueueBuilder.single(directory.toFile()).rollCycle(RollCycles.FAST_DAILY).build();
             ExcerptAppender appender = queue.createAppender()) {
            long start = System.nanoTime();
            for (int i = 0; i < events; i++) {
                payload[0] = (byte) i;
                try (DocumentContext dc = appender.writingDocument()) {
                    dc.wire().bytes().write(payload);
                }
            }
            return events / seconds(start);
        }
    }

    /** Raw Chronicle tail: reads every excerpt's bytes into a heap array (what Strata's reader does first). */
    static double chronicleTail(Path directory, int size) {
        byte[] buffer = new byte[Math.max(size, 4096)];
        long count = 0;
        long checksum = 0;
        try (SingleChronicleQueue queue = SingleChronicleQueueBuilder.single(directory.toFile()).rollCycle(RollCycles.FAST_DAILY)
                .readOnly(true).build();
             ExcerptTailer tailer = queue.createTailer()) {
            long start = System.nanoTime();
            while (true) {
                try (DocumentContext dc = tailer.readingDocument()) {
                    if (!dc.isPresent()) {
                        break;
                    }
                    Bytes<?> bytes = dc.wire().bytes();
                    int length = (int) bytes.readRemaining();
                    bytes.read(buffer, 0, length);
                    checksum += buffer[0];
                    count++;
                }
            }
            double rate = count / seconds(start);
            if (checksum == Long.MIN_VALUE) {
                System.out.print("");
            }
            return rate;
        }
    }

    /** Result of a raw group-commit run: events/s, syncs/s and per-event latency from submit to durable. */
    record GroupCommit(double eventsPerSecond, double syncsPerSecond, Histogram latency) {
    }

    /**
     * Raw group commit: {@code appenders} threads hand 200-byte records to one syncer thread, which writes all that
     * are waiting and calls {@code force(false)} (fdatasync) once for them: the best a durable log can do here.
     */
    static GroupCommit fsyncGroupCommit(Path file, int appenders, int size, long durationMillis) throws Exception {
        BlockingQueue<long[]> pending = new ArrayBlockingQueue<>(appenders * 4);
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicLong syncs = new AtomicLong();
        AtomicLong events = new AtomicLong();
        Histogram latency = new Histogram(TimeUnit.SECONDS.toNanos(10), 3);
        Files.deleteIfExists(file);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            Thread syncer = new Thread(() -> {
                ByteBuffer record = ByteBuffer.allocateDirect(size * appenders * 4);
                List<long[]> batch = new ArrayList<>();
                try {
                    while (running.get() || !pending.isEmpty()) {
                        long[] first = pending.poll(10, TimeUnit.MILLISECONDS);
                        if (first == null) {
                            continue;
                        }
                        batch.add(first);
                        pending.drainTo(batch);
                        record.clear();
                        record.limit(size * batch.size());
                        channel.write(record);
                        channel.force(false);
                        syncs.incrementAndGet();
                        long now = System.nanoTime();
                        for (long[] done : batch) {
                            synchronized (done) {
                                done[1] = now;
                                done.notifyAll();
                            }
                        }
                        events.addAndGet(batch.size());
                        batch.clear();
                    }
                } catch (IOException | InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            }, "raw-syncer");
            syncer.start();
            CountDownLatch done = new CountDownLatch(appenders);
            long start = System.nanoTime();
            long end = start + TimeUnit.MILLISECONDS.toNanos(durationMillis);
            for (int t = 0; t < appenders; t++) {
                new Thread(() -> {
                    try {
                        while (System.nanoTime() < end) {
                            long[] request = {System.nanoTime(), 0};
                            pending.put(request);
                            synchronized (request) {
                                while (request[1] == 0) {
                                    request.wait();
                                }
                            }
                            synchronized (latency) {
                                latency.recordValue(request[1] - request[0]);
                            }
                        }
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    } finally {
                        done.countDown();
                    }
                }, "raw-appender-" + t).start();
            }
            done.await();
            double elapsed = seconds(start);
            running.set(false);
            syncer.join();
            return new GroupCommit(events.get() / elapsed, syncs.get() / elapsed, latency);
        }
    }

    static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }
}
