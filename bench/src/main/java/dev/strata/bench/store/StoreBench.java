package dev.strata.bench.store;

import dev.strata.eventstore.AppendResult;
import dev.strata.eventstore.Durability;
import dev.strata.eventstore.EventData;
import dev.strata.eventstore.EventStore;
import dev.strata.eventstore.ExpectedVersion;
import dev.strata.eventstore.Metadata;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.DoubleSupplier;
import java.util.stream.Stream;
import org.HdrHistogram.Histogram;

/**
 * The event store's own benchmarks, each beside its raw baseline in the same run (issues 2 and 3):
 * <ul>
 *   <li>{@code append}: 200-byte events over 10,000 streams with exact expected versions, single-event appends
 *       (one appender pipelining) and batches of 100, OS durability, beside raw Chronicle appends of 200 bytes;</li>
 *   <li>{@code read}: reading the whole global log beside a raw Chronicle tail of the same files;</li>
 *   <li>{@code durable}: FSYNC appends of single 200-byte events from 1, 16 and 64 concurrent appenders, throughput
 *       and latency, beside a raw write+fdatasync group-commit loop with the same number of appenders.</li>
 * </ul>
 * Usage: {@code StoreBench <append|read|durable|all> [--events N] [--runs R] [--seconds S] [--dir D]}.
 * Prints medians (with min and max) of R runs and the ratios computed within each run.
 */
public final class StoreBench {

    private static final int SIZE = 200;
    private static final int STREAMS = 10_000;

    private final Path root;
    private final int events;
    private final int runs;
    private final int seconds;

    private StoreBench(Path root, int events, int runs, int seconds) {
        this.root = root;
        this.events = events;
        this.runs = runs;
        this.seconds = seconds;
    }

    public static void main(String[] args) throws Exception {
        String workload = args.length > 0 ? args[0] : "all";
        int events = intOption(args, "--events", 2_000_000);
        int runs = intOption(args, "--runs", 3);
        int seconds = intOption(args, "--seconds", 10);
        Path root = Path.of(stringOption(args, "--dir", System.getProperty("java.io.tmpdir"))).resolve("strata-bench-" + UUID.randomUUID());
        StoreBench bench = new StoreBench(root, events, runs, seconds);
        System.out.printf(Locale.ROOT, "# StoreBench %s: %d events of %d bytes, %d streams, %d runs, JDK %s, %d cores%n",
                workload, events, SIZE, STREAMS, runs, System.getProperty("java.version"), Runtime.getRuntime().availableProcessors());
        try {
            if (workload.equals("append") || workload.equals("all")) {
                bench.append();
            }
            if (workload.equals("read") || workload.equals("all")) {
                bench.read();
            }
            if (workload.equals("durable") || workload.equals("all")) {
                bench.durable();
            }
        } finally {
            delete(root);
        }
    }

    // ---------------------------------------------------------------- append (OS durability)

    private void append() throws IOException {
        Series raw = new Series("raw Chronicle append, 200 B");
        Series single = new Series("Strata append, 1 event/append, exact versions, OS");
        Series batch = new Series("Strata append, 100 events/append, exact versions, OS");
        for (int run = 0; run < runs; run++) {
            Path rawDirectory = fresh("raw");
            Path singleDirectory = fresh("single");
            Path batchDirectory = fresh("batch");
            double rawRate = raw.add(() -> Baselines.chronicleAppend(rawDirectory, events, SIZE));
            single.add(() -> appendPipelined(singleDirectory, 1), rawRate);
            batch.add(() -> appendPipelined(batchDirectory, 100), rawRate);
        }
        print("events/s", raw, single, batch);
    }

    /** One appender, appendAsync with up to 4096 appends in flight, each stream's exact version tracked. */
    private double appendPipelined(Path directory, int perAppend) {
        EventData[] template = payloads(perAppend);
        long[] versions = new long[STREAMS];
        Arrays.fill(versions, -1);
        SplittableRandom random = new SplittableRandom(7);
        Semaphore window = new Semaphore(4096);
        try (EventStore store = EventStore.builder().directory(directory).durability(Durability.OS).open()) {
            int appends = events / perAppend;
            long start = System.nanoTime();
            CompletableFuture<AppendResult> last = null;
            for (int i = 0; i < appends; i++) {
                int stream = random.nextInt(STREAMS);
                ExpectedVersion expected = versions[stream] < 0 ? ExpectedVersion.noStream() : ExpectedVersion.exactly(versions[stream]);
                versions[stream] += perAppend;
                window.acquireUninterruptibly();
                last = store.appendAsync("stream-" + stream, expected, withFreshIds(template));
                last.whenComplete((result, failure) -> {
                    window.release();
                    if (failure != null) {
                        failure.printStackTrace();
                    }
                });
            }
            window.acquireUninterruptibly(4096);
            return (double) appends * perAppend / Baselines.seconds(start);
        }
    }

    // ---------------------------------------------------------------- read

    private void read() throws IOException {
        Path directory = fresh("read");
        try (EventStore store = EventStore.builder().directory(directory).durability(Durability.OS).open()) {
            EventData[] template = payloads(100);
            for (int i = 0; i < events / 100; i++) {
                store.appendAsync("stream-" + (i % STREAMS), ExpectedVersion.any(), withFreshIds(template));
            }
            store.append("stream-last", ExpectedVersion.any(), EventData.json("Last", "{}"));
        }
        Series raw = new Series("raw Chronicle tail (copy each excerpt)");
        Series global = new Series("Strata readAll (decode every event)");
        try (EventStore store = EventStore.builder().directory(directory).durability(Durability.OS).open()) {
            for (int run = 0; run < runs; run++) {
                double rawRate = raw.add(() -> Baselines.chronicleTail(directory.resolve("log"), SIZE) * 100);
                global.add(() -> {
                    long start = System.nanoTime();
                    long count;
                    try (Stream<dev.strata.eventstore.RecordedEvent> all = store.readAll(0, Integer.MAX_VALUE)) {
                        count = all.count();
                    }
                    return count / Baselines.seconds(start);
                }, rawRate);
            }
        }
        System.out.println("(raw tail events/s = excerpts/s x 100: the log holds appends of 100 events each)");
        print("events/s", raw, global);
    }

    // ---------------------------------------------------------------- durable (FSYNC)

    private void durable() throws Exception {
        for (int appenders : new int[] {1, 16, 64}) {
            Series raw = new Series("raw write+fdatasync group commit, " + appenders + " appenders");
            Series strata = new Series("Strata FSYNC append, 1 event, " + appenders + " appenders");
            Histogram rawLatency = new Histogram(TimeUnit.SECONDS.toNanos(10), 3);
            Histogram strataLatency = new Histogram(TimeUnit.SECONDS.toNanos(10), 3);
            for (int run = 0; run < runs; run++) {
                Baselines.GroupCommit base = Baselines.fsyncGroupCommit(fresh("raw-fsync").resolve("file"), appenders, SIZE,
                        TimeUnit.SECONDS.toMillis(seconds));
                raw.add(() -> base.eventsPerSecond());
                rawLatency.add(base.latency());
                Histogram latency = new Histogram(TimeUnit.SECONDS.toNanos(10), 3);
                double rate = durableAppends(fresh("fsync"), appenders, latency);
                strata.add(() -> rate, base.eventsPerSecond());
                strataLatency.add(latency);
            }
            print("events/s", raw, strata);
            System.out.printf(Locale.ROOT, "  latency (all runs) raw    p50 %s p99 %s p99.9 %s max %s%n", ms(rawLatency, 50), ms(rawLatency, 99),
                    ms(rawLatency, 99.9), ms(rawLatency, 100));
            System.out.printf(Locale.ROOT, "  latency (all runs) strata p50 %s p99 %s p99.9 %s max %s%n", ms(strataLatency, 50),
                    ms(strataLatency, 99), ms(strataLatency, 99.9), ms(strataLatency, 100));
        }
    }

    private double durableAppends(Path directory, int appenders, Histogram latency) throws InterruptedException {
        AtomicLong count = new AtomicLong();
        try (EventStore store = EventStore.builder().directory(directory).durability(Durability.FSYNC).open()) {
            CountDownLatch done = new CountDownLatch(appenders);
            long start = System.nanoTime();
            long end = start + TimeUnit.SECONDS.toNanos(seconds);
            for (int t = 0; t < appenders; t++) {
                int thread = t;
                new Thread(() -> {
                    SplittableRandom random = new SplittableRandom(thread);
                    EventData[] template = payloads(1);
                    try {
                        while (System.nanoTime() < end) {
                            long begin = System.nanoTime();
                            store.append("stream-" + random.nextInt(STREAMS), ExpectedVersion.any(), withFreshIds(template));
                            long took = System.nanoTime() - begin;
                            synchronized (latency) {
                                latency.recordValue(took);
                            }
                            count.incrementAndGet();
                        }
                    } finally {
                        done.countDown();
                    }
                }, "durable-appender-" + t).start();
            }
            done.await();
            return count.get() / Baselines.seconds(start);
        }
    }

    // ---------------------------------------------------------------- helpers

    private static EventData[] payloads(int count) {
        EventData[] events = new EventData[count];
        byte[] data = new byte[SIZE];
        Arrays.fill(data, (byte) 'x');
        data[0] = '"';
        data[SIZE - 1] = '"';
        for (int i = 0; i < count; i++) {
            events[i] = new EventData(UUID.randomUUID(), "Benchmarked", EventData.JSON, Metadata.empty(), data);
        }
        return events;
    }

    /**
     * The template's events with new ids. Random (version 4) UUIDs from a thread-local generator rather than
     * {@link UUID#randomUUID()}, whose SecureRandom would dominate the appender's time: ids are the client's
     * business, and any unique ids will do.
     */
    static List<EventData> withFreshIds(EventData[] template) {
        List<EventData> events = new ArrayList<>(template.length);
        java.util.concurrent.ThreadLocalRandom random = java.util.concurrent.ThreadLocalRandom.current();
        for (EventData event : template) {
            long msb = (random.nextLong() & ~0xf000L) | 0x4000L;
            long lsb = (random.nextLong() & 0x3fffffffffffffffL) | 0x8000000000000000L;
            events.add(event.withId(new UUID(msb, lsb)));
        }
        return events;
    }

    private Path fresh(String name) throws IOException {
        Path directory = root.resolve(name + "-" + UUID.randomUUID());
        Files.createDirectories(directory);
        return directory;
    }

    private static String ms(Histogram histogram, double percentile) {
        long value = percentile >= 100 ? histogram.getMaxValue() : histogram.getValueAtPercentile(percentile);
        return String.format(Locale.ROOT, "%.3f ms", value / 1e6);
    }

    /** Figures of one measurement over the runs, with the ratio to its baseline taken run by run. */
    private static final class Series {
        final String name;
        final List<Double> values = new ArrayList<>();
        final List<Double> ratios = new ArrayList<>();

        Series(String name) {
            this.name = name;
        }

        double add(DoubleSupplier measurement) {
            double value = measurement.getAsDouble();
            values.add(value);
            return value;
        }

        void add(DoubleSupplier measurement, double baseline) {
            ratios.add(add(measurement) / baseline);
        }
    }

    private static void print(String unit, Series... series) {
        for (Series s : series) {
            List<Double> sorted = s.values.stream().sorted().toList();
            String ratio = s.ratios.isEmpty() ? "" : String.format(Locale.ROOT, "  ratio to baseline: median %.2f (min %.2f, max %.2f)",
                    median(s.ratios), s.ratios.stream().min(Double::compare).orElseThrow(), s.ratios.stream().max(Double::compare).orElseThrow());
            System.out.printf(Locale.ROOT, "%-60s median %,12.0f %s (min %,.0f, max %,.0f)%s%n", s.name, median(s.values), unit,
                    sorted.get(0), sorted.get(sorted.size() - 1), ratio);
        }
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    private static int intOption(String[] args, String name, int fallback) {
        String value = stringOption(args, name, null);
        return value == null ? fallback : Integer.parseInt(value.replace("_", ""));
    }

    private static String stringOption(String[] args, String name, String fallback) {
        for (int i = 0; i < args.length - 1; i++) {
            if (args[i].equals(name)) {
                return args[i + 1];
            }
        }
        return fallback;
    }

    private static void delete(Path root) throws IOException {
        if (Files.exists(root)) {
            try (Stream<Path> files = Files.walk(root)) {
                files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
    }
}
