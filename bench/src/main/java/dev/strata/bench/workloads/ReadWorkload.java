package dev.strata.bench.workloads;

import dev.strata.bench.load.AppendDriver;
import dev.strata.bench.load.Latency;
import dev.strata.bench.load.Payload;
import dev.strata.bench.load.Progress;
import dev.strata.bench.load.StreamPicker;
import dev.strata.bench.report.Figure;
import dev.strata.bench.report.Sections;
import dev.strata.eventstore.Direction;
import dev.strata.eventstore.Durability;
import dev.strata.eventstore.EventData;
import dev.strata.eventstore.EventStore;
import dev.strata.eventstore.ExpectedVersion;
import dev.strata.eventstore.Metadata;
import dev.strata.eventstore.RecordedEvent;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.RollCycles;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.wire.DocumentContext;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Reads on a store filled once with {@code events} single-event appends (so one log excerpt is one event) over
 * {@code streams} streams picked with Zipf: the whole global log with {@code readAll} beside a raw Chronicle tail of
 * the same files, and whole-stream reads from {@code readers} threads for {@code seconds}.
 */
public final class ReadWorkload implements Workload {

    /** Reads do not depend on it, but every result says it: the store was filled in OS mode. */
    static final String DURABILITY = "reads of a store filled in OS durability mode";

    private final Path directory;
    private final long events;
    private final int streams;
    private final Payload payload;
    private final int readers;
    private final double seconds;
    private EventStore store;

    public ReadWorkload(Path directory, long events, int streams, Payload payload, int readers, double seconds) {
        this.directory = directory;
        this.events = events;
        this.streams = streams;
        this.payload = payload;
        this.readers = readers;
        this.seconds = seconds;
    }

    @Override
    public String label() {
        return "read | " + events + " events";
    }

    @Override
    public double estimatedSeconds() {
        return events / 1_000_000.0 * 1.5 + seconds;
    }

    @Override
    public List<Figure> measure(int run, Progress progress) {
        if (store == null) {
            fill(progress);
        }
        List<Figure> figures = new ArrayList<>();
        String global = String.format(Locale.ROOT, "global log, %,d events", events);
        double raw = rawTail();
        figures.add(new Figure(Sections.READ, global, "raw-chronicle-tail", DURABILITY, raw, "events/s", null, null, null));
        long start = System.nanoTime();
        long count;
        try (Stream<RecordedEvent> all = store.readAll(0, Integer.MAX_VALUE)) {
            count = all.count();
        }
        double rate = count / ((System.nanoTime() - start) / 1e9);
        String problem = count == events ? null : "readAll returned " + count + " events, expected " + events;
        figures.add(new Figure(Sections.READ, global, "strata-readAll", DURABILITY, rate, "events/s", "raw-chronicle-tail", null, problem));
        figures.add(streamReads());
        progress.report(String.format(Locale.ROOT, "  [read] raw tail %,.0f ev/s, readAll %,.0f ev/s, stream reads %,.0f ev/s",
                raw, rate, figures.get(2).value()));
        return figures;
    }

    private void fill(Progress progress) {
        store = EventStore.builder().directory(directory).durability(Durability.OS).meterRegistry(new SimpleMeterRegistry()).open();
        String[] names = AppendDriver.streamNames(streams);
        StreamPicker picker = StreamPicker.zipf(streams, 0.99);
        SplittableRandom random = new SplittableRandom(7);
        Semaphore window = new Semaphore(4096);
        EventData template = new EventData(UUID.randomUUID(), "Benchmarked", EventData.JSON, Metadata.empty(), payload.json());
        long start = System.nanoTime();
        for (long i = 0; i < events; i++) {
            window.acquireUninterruptibly();
            store.appendAsync(names[picker.next(random)], ExpectedVersion.any(), List.of(template.withId(new UUID(random.nextLong(), i))))
                    .whenComplete((r, f) -> window.release());
        }
        window.acquireUninterruptibly(4096);
        progress.report(String.format(Locale.ROOT, "  [read] filled %,d events in %.1f s", events, (System.nanoTime() - start) / 1e9));
    }

    /** Every excerpt of the store's log copied into a heap buffer, which is what Strata's reader does first. */
    private double rawTail() {
        byte[] buffer = new byte[64 * 1024];
        long count = 0;
        long checksum = 0;
        try (SingleChronicleQueue queue = SingleChronicleQueueBuilder.single(directory.resolve("log").toFile())
                .rollCycle(RollCycles.FAST_DAILY).readOnly(true).build();
             ExcerptTailer tailer = queue.createTailer()) {
            long start = System.nanoTime();
            while (true) {
                try (DocumentContext document = tailer.readingDocument()) {
                    if (!document.isPresent()) {
                        break;
                    }
                    Bytes<?> bytes = document.wire().bytes();
                    int length = (int) Math.min(bytes.readRemaining(), buffer.length);
                    bytes.read(buffer, 0, length);
                    checksum += buffer[0];
                    count++;
                }
            }
            double rate = count / ((System.nanoTime() - start) / 1e9);
            return checksum == Long.MIN_VALUE ? 0 : rate;
        }
    }

    private Figure streamReads() {
        AtomicLong read = new AtomicLong();
        Recorder latency = new Recorder(3);
        long end = System.nanoTime() + (long) (seconds * 1e9);
        List<Thread> threads = new ArrayList<>();
        String[] names = AppendDriver.streamNames(streams);
        for (int t = 0; t < readers; t++) {
            int seed = t;
            Thread reader = new Thread(() -> {
                StreamPicker picker = StreamPicker.zipf(streams, 0.99);
                SplittableRandom random = new SplittableRandom(100 + seed);
                while (System.nanoTime() < end) {
                    long begin = System.nanoTime();
                    try (Stream<RecordedEvent> stream = store.readStream(names[picker.next(random)], 0, Direction.FORWARD, 10_000)) {
                        read.addAndGet(stream.count());
                    }
                    latency.recordValue(System.nanoTime() - begin);
                }
            }, "stream-reader-" + t);
            threads.add(reader);
            reader.start();
        }
        long start = System.nanoTime();
        for (Thread thread : threads) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        double rate = read.get() / ((System.nanoTime() - start) / 1e9);
        Histogram histogram = latency.getIntervalHistogram();
        return new Figure(Sections.READ, String.format(Locale.ROOT, "whole-stream reads, %d threads, %d zipf streams", readers, streams),
                "strata-readStream", DURABILITY, rate, "events/s", null, Latency.of(histogram), null);
    }

    @Override
    public void close() {
        if (store != null) {
            store.close();
        }
    }

}
