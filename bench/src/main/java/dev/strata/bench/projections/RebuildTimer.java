package dev.strata.bench.projections;

import dev.strata.eventstore.EventStore;
import dev.strata.projections.Projection;
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
        Projection<String, Long> balances = BenchProjections.readModifyWrite("balances");
        try (EventStore store = BenchStore.open(dir.resolve("store"))) {
            if (store.headPosition() + 1 < events) {
                double seconds = BenchStore.fill(store, events - store.headPosition() - 1, keys);
                System.out.printf("filled the store with %,d events in %.1f s%n", events, seconds);
            }
            try (ProjectionPipeline pipeline = ProjectionPipeline.builder(store).directory(dir.resolve("read-models"))
                    .meterRegistry(new SimpleMeterRegistry()).add(balances).open()) {
                long start = System.nanoTime();
                ReplayResult result = pipeline.replay(ReplayRequest.of("balances"), progress -> { });
                double seconds = (System.nanoTime() - start) / 1e9;
                System.out.printf("rebuilt %s generation %d from %,d events in %.1f s end to end: %,.0f events/s%n",
                        result.projection(), result.generation(), result.events(), seconds, result.events() / seconds);
            }
        }
    }
}
