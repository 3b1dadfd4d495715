package dev.strata.bench.projections;

import dev.strata.eventstore.EventStore;
import dev.strata.projections.ProjectionPipeline;
import dev.strata.projections.ReplayRequest;
import dev.strata.projections.ReplayResult;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;

/**
 * A rebuild timed end to end: an offline replay of a filled store, one read-modify-write projection into a new
 * generation, switch included, as {@code strata replay} does it. The suite runs it:
 * {@code ./strata bench project --rebuild-events 10000000}.
 */
public final class RebuildTimer {

    private RebuildTimer() {
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
