package dev.strata.bench.workloads;

import dev.strata.bench.load.Progress;
import dev.strata.bench.projections.BenchStore;
import dev.strata.bench.projections.PipelineThroughput;
import dev.strata.bench.projections.RebuildTimer;
import dev.strata.bench.report.Figure;
import dev.strata.bench.report.Sections;
import dev.strata.eventstore.EventStore;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The projection pipeline (issue 5's bench): 1 and 3 projections, upserts and read-modify-writes, over a store of
 * {@code events} small JSON events on {@code keys} accounts, each beside a raw RocksDB WriteBatch loop of the same
 * writes in the same run; then, when {@code rebuildEvents > 0}, an offline rebuild of one projection over a second
 * store of that many events, timed end to end. Both stores are filled on the first run and kept for the others.
 */
public final class ProjectWorkload implements Workload {

    static final String DURABILITY = "read models: RocksDB write-ahead log written, not synced (the log is the source of truth)";

    private final Path root;
    private final long events;
    private final int keys;
    private final long rebuildEvents;
    private EventStore store;
    private EventStore rebuildStore;
    private long[] accounts;
    private long[] amounts;

    public ProjectWorkload(Path root, long events, int keys, long rebuildEvents) {
        this.root = root;
        this.events = events;
        this.keys = keys;
        this.rebuildEvents = rebuildEvents;
    }

    @Override
    public String label() {
        return "project | " + events + " events" + (rebuildEvents > 0 ? ", rebuild " + rebuildEvents : "");
    }

    @Override
    public double estimatedSeconds() {
        return events * 8 / 300_000.0 + rebuildEvents / 400_000.0;
    }

    @Override
    public List<Figure> measure(int run, Progress progress) throws Exception {
        if (store == null) {
            store = BenchStore.open(root.resolve("store"));
            double seconds = BenchStore.fill(store, events, keys);
            progress.report(String.format(Locale.ROOT, "  [project] filled %,d events in %.1f s", events, seconds));
            accounts = PipelineThroughput.accounts(events, keys);
            amounts = PipelineThroughput.amounts(events);
        }
        List<Figure> figures = new ArrayList<>();
        long head = store.headPosition();
        for (String kind : List.of("upsert", "rmw")) {
            for (int count : new int[] {1, 3}) {
                String scenario = String.format(Locale.ROOT, "%s, %d projection%s, %,d events", kind.equals("rmw") ? "read-modify-write" : "upsert",
                        count, count == 1 ? "" : "s", events);
                String id = run + "-" + kind + "-" + count;
                double pipeline = PipelineThroughput.pipeline(store, root.resolve("read-models-" + id), kind, count, head);
                double raw = PipelineThroughput.raw(root.resolve("raw-" + id), kind, count, accounts, amounts);
                figures.add(new Figure(Sections.PROJECT, scenario, "raw-rocksdb-loop", DURABILITY, raw, "events/s", null, null, null));
                figures.add(new Figure(Sections.PROJECT, scenario, "strata-pipeline", DURABILITY, pipeline, "events/s", "raw-rocksdb-loop", null, null));
                progress.report(String.format(Locale.ROOT, "  [project] %s: pipeline %,.0f ev/s, raw RocksDB %,.0f ev/s", scenario, pipeline, raw));
            }
        }
        if (rebuildEvents > 0) {
            if (rebuildStore == null) {
                rebuildStore = BenchStore.open(root.resolve("rebuild-store"));
                double seconds = BenchStore.fill(rebuildStore, rebuildEvents, 100_000);
                progress.report(String.format(Locale.ROOT, "  [project] filled %,d events for the rebuild in %.1f s", rebuildEvents, seconds));
            }
            RebuildTimer.Rebuild rebuild = RebuildTimer.rebuild(rebuildStore, root.resolve("rebuild-read-models-" + run));
            String scenario = String.format(Locale.ROOT, "offline rebuild of 1 read-modify-write projection, %,d events", rebuild.result().events());
            figures.add(new Figure(Sections.PROJECT, scenario, "strata-rebuild (seconds)", DURABILITY, rebuild.seconds(), "s", null, null, null));
            figures.add(new Figure(Sections.PROJECT, scenario, "strata-rebuild", DURABILITY, rebuild.result().events() / rebuild.seconds(), "events/s", null, null, null));
            progress.report(String.format(Locale.ROOT, "  [project] rebuild of %,d events in %.1f s", rebuild.result().events(), rebuild.seconds()));
        }
        return figures;
    }

    @Override
    public void close() {
        if (store != null) {
            store.close();
        }
        if (rebuildStore != null) {
            rebuildStore.close();
        }
    }
}
