package dev.strata.bench.projections;

import dev.strata.eventstore.EventStore;
import dev.strata.projections.ProjectionPipeline;
import dev.strata.projections.ReplayRequest;
import dev.strata.projections.ReplayResult;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A rebuild timed end to end: a store of {@code --events} events (10 million by default), then an offline replay of
 * one read-modify-write projection into a new generation, switch included, as {@code strata replay} does it.
 *
 * <pre>java [Chronicle flags] -cp ... dev.strata.bench.projections.RebuildTimer --events 10000000 [--keys 100000] [--dir /tmp/x]</pre>
 */
public final class RebuildTimer {

    private RebuildTimer() {
    }

    public static void main(String[] args) throws Exception {
        long events = BenchStore.argument(args, "--events", 10_000_000);
        int keys = (int) BenchStore.argument(args, "--keys", 100_000);
        Path dir = Path.of(BenchStore.argument(args, "--dir", Files.createTempDirectory("strata-bench-rebuild").toString()));
        try (EventStore store = BenchStore.open(dir.resolve("store"))) {
            if (store.headPosition() + 1 < events) {
                double seconds = BenchStore.fill(store, events - store.headPosition() - 1, keys);
                System.out.printf("filled the store with %,d events in %.1f s%n", events, seconds);
            }
            Rebuild rebuild = rebuild(store, dir.resolve("read-models"));
            System.out.printf("rebuilt %s generation %d from %,d events in %.1f s end to end: %,.0f events/s%n",
                    rebuild.result().projection(), rebuild.result().generation(), rebuild.result().events(), rebuild.seconds(),
                    rebuild.result().events() / rebuild.seconds());
        }
    }

    /** A timed rebuild: the replay's result and the seconds it took end to end. */
    public record Rebuild(ReplayResult result, double seconds) {
    }

    /** Replays one read-modify-write projection ("balances") over the whole store into a new generation and switches. */
    public static Rebuild rebuild(EventStore store, Path readModels) {
        try (ProjectionPipeline pipeline = ProjectionPipeline.builder(store).directory(readModels)
                .meterRegistry(new SimpleMeterRegistry()).add(BenchProjections.readModifyWrite("balances")).open()) {
            long start = System.nanoTime();
            ReplayResult result = pipeline.replay(ReplayRequest.of("balances"), progress -> { });
            return new Rebuild(result, (System.nanoTime() - start) / 1e9);
        }
    }
}
