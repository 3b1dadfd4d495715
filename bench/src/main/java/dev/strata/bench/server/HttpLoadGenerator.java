package dev.strata.bench.server;

import dev.strata.bench.peers.StrataTarget;
import dev.strata.eventstore.Durability;
import dev.strata.eventstore.EventData;
import dev.strata.eventstore.EventStore;
import dev.strata.eventstore.ExpectedVersion;
import dev.strata.eventstore.Metadata;
import dev.strata.server.StrataServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * The server's load generator. In one JVM (so the generator shares the server's cores, as the issue asks): a Strata
 * server on a free loopback port, {@code --connections} keep-alive connections appending as fast as they are answered
 * (one event per request, then 100), {@code --subscribers} SSE subscribers to {@code /all} reading along, then the same
 * appends from as many threads on an embedded store for comparison. Each scenario warms up, then measures.
 *
 * <pre>
 * java $STRATA_JVM_FLAGS -cp bench/target/classes:$(cat bench/target/classpath.txt) \
 *     dev.strata.bench.server.HttpLoadGenerator --seconds 20 --warmup 10 --connections 32 --subscribers 3 --durability fsync
 * </pre>
 */
public final class HttpLoadGenerator {

    private static final String BATCH = "application/cloudevents-batch+json";
    private static final String PAD = "x".repeat(100);

    private final int seconds;
    private final int warmup;
    private final int connections;
    private final int subscribers;
    private final Durability durability;
    private final Path data;
    private final List<String> rows = new ArrayList<>();

    private HttpLoadGenerator(int seconds, int warmup, int connections, int subscribers, Durability durability, Path data) {
        this.seconds = seconds;
        this.warmup = warmup;
        this.connections = connections;
        this.subscribers = subscribers;
        this.durability = durability;
        this.data = data;
    }

    public static void main(String[] args) throws Exception {
        int seconds = 20;
        int warmup = 10;
        int connections = 32;
        int subscribers = 3;
        Durability durability = Durability.FSYNC;
        Path data = null;
        for (int i = 0; i < args.length; i += 2) {
            String value = i + 1 < args.length ? args[i + 1] : "";
            switch (args[i]) {
                case "--seconds" -> seconds = Integer.parseInt(value);
                case "--warmup" -> warmup = Integer.parseInt(value);
                case "--connections" -> connections = Integer.parseInt(value);
                case "--subscribers" -> subscribers = Integer.parseInt(value);
                case "--durability" -> durability = Durability.valueOf(value.toUpperCase(Locale.ROOT));
                case "--data" -> data = Path.of(value);
                default -> {
                    System.err.println("usage: HttpLoadGenerator [--seconds 20] [--warmup 10] [--connections 32] "
                            + "[--subscribers 3] [--durability fsync|os] [--data DIR]");
                    System.exit(2);
                }
            }
        }
        Path folder = data != null ? data : Files.createTempDirectory("strata-http-bench");
        new HttpLoadGenerator(seconds, warmup, connections, subscribers, durability, folder).run();
    }

    private void run() throws Exception {
        System.out.printf("# HTTP load: %d connections, %d SSE subscribers, durability %s, %d s warm-up + %d s measured, %d cores, %s%n",
                connections, subscribers, durability, warmup, seconds, Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
        try (StrataServer server = StrataServer.builder().dataDirectory(data.resolve("server")).port(0).durability(durability).start()) {
            InetSocketAddress address = new InetSocketAddress("127.0.0.1", server.port());
            List<SseCounter> sse = new ArrayList<>();
            for (int i = 0; i < subscribers; i++) {
                sse.add(new SseCounter(address, 0));
            }
            try {
                http(address, 1, sse);
                http(address, 100, sse);
            } finally {
                for (SseCounter counter : sse) {
                    counter.close();
                }
            }
        }
        try (EventStore store = EventStore.builder().directory(data.resolve("embedded")).durability(durability).open()) {
            embedded(store, 1);
            embedded(store, 100);
        }
        System.out.println();
        System.out.println("| scenario | events/s | requests/s | p50 ms | p90 ms | p99 ms | p99.9 ms | max ms |");
        System.out.println("|---|---:|---:|---:|---:|---:|---:|---:|");
        rows.forEach(System.out::println);
    }

    /** Appends over HTTP from {@code connections} threads, {@code batch} events per request. */
    private void http(InetSocketAddress address, int batch, List<SseCounter> sse) throws Exception {
        Recorder latency = new Recorder(3);
        AtomicLong events = new AtomicLong();
        AtomicLong requests = new AtomicLong();
        AtomicBoolean running = new AtomicBoolean(true);
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < connections; c++) {
            int client = c;
            Thread thread = new Thread(() -> {
                try (LoopbackConnection connection = new LoopbackConnection(address)) {
                    int n = 0;
                    while (running.get()) {
                        String path = "/streams/bench-" + client + "-" + (n++ % 100);
                        byte[] body = batchJson(batch);
                        long start = System.nanoTime();
                        int status = connection.post(path, BATCH, body);
                        if (status != 201) {
                            throw new IllegalStateException("append answered " + status);
                        }
                        latency.recordValue((System.nanoTime() - start) / 1000);
                        events.addAndGet(batch);
                        requests.incrementAndGet();
                    }
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            }, "http-client-" + c);
            thread.start();
            threads.add(thread);
        }
        String name = "HTTP append, " + batch + (batch == 1 ? " event" : " events") + "/request, " + connections + " connections";
        measure(name, latency, events, requests, () -> sse.stream().mapToLong(SseCounter::events).sum(), () -> {
            for (SseCounter counter : sse) {
                counter.latencies(); // forget the warm-up's
            }
        }, (delivered, secondsMeasured) -> {
            Histogram merged = new Histogram(3);
            for (SseCounter counter : sse) {
                merged.add(counter.latencies());
            }
            long perSubscriber = sse.isEmpty() ? 0 : (long) (delivered / secondsMeasured / sse.size());
            rows.add(row("  SSE /all, " + sse.size() + " subscribers reading along (per subscriber; latency from send to arrival)",
                    perSubscriber, -1, merged));
        });
        running.set(false);
        for (Thread thread : threads) {
            thread.join();
        }
    }

    /** The same appends on an embedded store, from as many threads as there were connections. */
    private void embedded(EventStore store, int batch) throws Exception {
        Recorder latency = new Recorder(3);
        AtomicLong events = new AtomicLong();
        AtomicLong requests = new AtomicLong();
        AtomicBoolean running = new AtomicBoolean(true);
        List<Thread> threads = new ArrayList<>();
        byte[] payload = ("{\"t\":0,\"pad\":\"" + PAD + "\"}").getBytes(StandardCharsets.UTF_8);
        for (int c = 0; c < connections; c++) {
            int client = c;
            Thread thread = new Thread(() -> {
                int n = 0;
                while (running.get()) {
                    List<EventData> list = new ArrayList<>(batch);
                    for (int i = 0; i < batch; i++) {
                        list.add(new EventData(StrataTarget.randomId(), "BenchEvent", EventData.JSON, Metadata.empty(), payload));
                    }
                    long start = System.nanoTime();
                    store.append("bench-" + client + "-" + (n++ % 100), ExpectedVersion.any(), list);
                    latency.recordValue((System.nanoTime() - start) / 1000);
                    events.addAndGet(batch);
                    requests.incrementAndGet();
                }
            }, "embedded-client-" + c);
            thread.start();
            threads.add(thread);
        }
        measure("embedded append, " + batch + (batch == 1 ? " event" : " events") + "/append, " + connections + " threads",
                latency, events, requests, () -> 0L, () -> { }, (delivered, secondsMeasured) -> { });
        running.set(false);
        for (Thread thread : threads) {
            thread.join();
        }
    }

    interface Sampler {
        long sample();
    }

    interface After {
        void report(long delivered, double seconds);
    }

    private void measure(String name, Recorder latency, AtomicLong events, AtomicLong requests, Sampler delivered, Runnable reset,
                         After after) throws InterruptedException {
        System.out.println("running: " + name);
        TimeUnit.SECONDS.sleep(warmup);
        latency.getIntervalHistogram();
        reset.run();
        long startEvents = events.get();
        long startRequests = requests.get();
        long startDelivered = delivered.sample();
        long start = System.nanoTime();
        TimeUnit.SECONDS.sleep(seconds);
        double elapsed = (System.nanoTime() - start) / 1e9;
        Histogram histogram = latency.getIntervalHistogram();
        long eventsPerSecond = (long) ((events.get() - startEvents) / elapsed);
        long requestsPerSecond = (long) ((requests.get() - startRequests) / elapsed);
        rows.add(row(name, eventsPerSecond, requestsPerSecond, histogram));
        after.report(delivered.sample() - startDelivered, elapsed);
    }

    private static String row(String name, long eventsPerSecond, long requestsPerSecond, Histogram micros) {
        return String.format(Locale.ROOT, "| %s | %,d | %s | %.2f | %.2f | %.2f | %.2f | %.2f |", name, eventsPerSecond,
                requestsPerSecond < 0 ? "" : String.format(Locale.ROOT, "%,d", requestsPerSecond),
                micros.getValueAtPercentile(50) / 1000.0, micros.getValueAtPercentile(90) / 1000.0,
                micros.getValueAtPercentile(99) / 1000.0, micros.getValueAtPercentile(99.9) / 1000.0, micros.getMaxValue() / 1000.0);
    }

    /** A batch of CloudEvents whose data carries the send time, for the subscribers' latency. */
    private static byte[] batchJson(int count) {
        StringBuilder out = new StringBuilder(count * 220 + 2).append('[');
        long now = System.nanoTime();
        for (int i = 0; i < count; i++) {
            if (i > 0) {
                out.append(',');
            }
            out.append("{\"specversion\":\"1.0\",\"id\":\"").append(StrataTarget.randomId()).append("\",\"source\":\"/bench\",\"type\":\"BenchEvent\",")
                    .append("\"data\":{\"t\":").append(now).append(",\"pad\":\"").append(PAD).append("\"}}");
        }
        return out.append(']').toString().getBytes(StandardCharsets.UTF_8);
    }
}
