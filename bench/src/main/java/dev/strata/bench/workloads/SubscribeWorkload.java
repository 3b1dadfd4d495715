package dev.strata.bench.workloads;

import dev.strata.bench.load.AppendDriver;
import dev.strata.bench.load.AppendLoad;
import dev.strata.bench.load.Folders;
import dev.strata.bench.load.Latency;
import dev.strata.bench.load.Measurement;
import dev.strata.bench.load.Payload;
import dev.strata.bench.load.Progress;
import dev.strata.bench.peers.StrataTarget;
import dev.strata.bench.report.Figure;
import dev.strata.bench.report.Sections;
import dev.strata.eventstore.Durability;
import dev.strata.eventstore.EventData;
import dev.strata.eventstore.ExpectedVersion;
import dev.strata.eventstore.Metadata;
import dev.strata.eventstore.EventStore;
import dev.strata.eventstore.RecordedEvent;
import dev.strata.eventstore.Subscription;
import dev.strata.eventstore.SubscriptionListener;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Recorder;

/**
 * K catch-up subscribers while appending: a fresh store is pre-filled with {@code backlog} events, then K
 * subscriptions to the global log start at position 0 (catch-up) while the append load runs (then live). Reports
 * the append rate with the subscribers running, the delivery rate per subscriber, and the live delivery lag (commit
 * timestamp to delivery) once a subscriber has caught up.
 */
public final class SubscribeWorkload implements Workload {

    private final Path root;
    private final int subscribers;
    private final long backlog;
    private final AppendLoad load;
    private final Durability durability;
    private final Payload payload;
    private final boolean overServer;

    public SubscribeWorkload(Path root, int subscribers, long backlog, AppendLoad load, Durability durability) {
        this(root, subscribers, backlog, load, durability, false);
    }

    /** With {@code overServer}, everything goes through a Strata server: appends over HTTP, subscribers over SSE. */
    public SubscribeWorkload(Path root, int subscribers, long backlog, AppendLoad load, Durability durability, boolean overServer) {
        this.overServer = overServer;
        this.root = root;
        this.subscribers = subscribers;
        this.backlog = backlog;
        this.load = load;
        this.durability = durability;
        this.payload = Payload.of(load.eventSize());
    }

    @Override
    public String label() {
        return "subscribe | " + subscribers + " subscribers" + (overServer ? " over the server" : "");
    }

    @Override
    public double estimatedSeconds() {
        return backlog / 500_000.0 + (load.warmup().toMillis() + load.measure().toMillis()) / 1000.0;
    }

    @Override
    public List<Figure> measure(int run, Progress progress) throws Exception {
        Path directory = root.resolve("subscribe-" + run + (overServer ? "-server" : ""));
        try (StrataTarget target = overServer ? StrataTarget.overServer(directory, durability, payload)
                : StrataTarget.embedded(directory, durability, payload)) {
            return measure(target, progress);
        } finally {
            Folders.delete(directory);
        }
    }

    private List<Figure> measure(StrataTarget target, Progress progress) {
        EventStore store = target.store();
        fillBacklog(store);
        AtomicLong[] delivered = new AtomicLong[subscribers];
        Recorder lag = new Recorder(3);
        List<Subscription> subscriptions = new ArrayList<>();
        for (int s = 0; s < subscribers; s++) {
            AtomicLong count = new AtomicLong();
            delivered[s] = count;
            subscriptions.add(store.subscribeToAll(0, new SubscriptionListener() {
                private volatile boolean live;

                @Override
                public void onEvent(RecordedEvent event) {
                    count.incrementAndGet();
                    if (live) {
                        Duration behind = Duration.between(event.timestamp(), Instant.now());
                        lag.recordValue(Math.max(0, behind.toNanos()));
                    }
                }

                @Override
                public void onLive() {
                    live = true;
                }
            }));
        }
        long start = System.nanoTime();
        Measurement appends = AppendDriver.run(target, load, progress, "appends with " + subscribers + " subscribers");
        double seconds = (System.nanoTime() - start) / 1e9;
        long total = 0;
        for (int s = 0; s < subscribers; s++) {
            total += delivered[s].get();
        }
        subscriptions.forEach(Subscription::close);
        String scenario = String.format(Locale.ROOT, "%d subscribers from 0 (backlog %,d), %d appenders%s", subscribers, backlog,
                load.concurrency(), overServer ? ", over HTTP and SSE" : "");
        List<Figure> figures = new ArrayList<>();
        figures.add(Figure.of(Sections.SUBSCRIBE, scenario, appends, null));
        figures.add(new Figure(Sections.SUBSCRIBE, scenario, target.name() + " subscriber", "-", total / seconds / subscribers, "events/s",
                null, Latency.of(lag.getIntervalHistogram()), null));
        return figures;
    }

    /** Appends the backlog to streams of its own ("backlog-..."), so the measured load's versions start from scratch. */
    private void fillBacklog(EventStore store) {
        EventData template = new EventData(UUID.randomUUID(), "Benchmarked", EventData.JSON, Metadata.empty(), payload.json());
        Semaphore window = new Semaphore(256);
        int perAppend = 100;
        for (long n = 0; n < backlog; n += perAppend) {
            window.acquireUninterruptibly();
            store.appendAsync("backlog-" + (n / perAppend % load.streams()), ExpectedVersion.any(), StrataTarget.events(template, perAppend))
                    .whenComplete((r, f) -> window.release());
        }
        window.acquireUninterruptibly(256);
    }
}
