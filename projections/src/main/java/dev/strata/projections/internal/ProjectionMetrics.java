package dev.strata.projections.internal;

import dev.strata.eventstore.EventReader;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.ArrayList;
import java.util.List;

/**
 * A projection's meters, tagged {@code projection=<name>}: checkpoint, lag behind the head, events applied, batch
 * sizes, parked events, failures, the serving generation, whether it is stopped, and a rebuild's lag.
 */
final class ProjectionMetrics {

    private final MeterRegistry registry;
    private final List<Meter> meters = new ArrayList<>();
    private final Counter events;
    private final Counter failures;
    private final Counter suppressedEffects;
    private final DistributionSummary batchSize;
    private final EventRate rate = new EventRate();

    ProjectionMetrics(MeterRegistry registry, ProjectionRuntime runtime, EventReader store) {
        this.registry = registry;
        Tags tags = Tags.of("projection", runtime.name());
        events = Counter.builder("strata.projection.events").description("Events applied by the serving generation")
                .tags(tags).register(registry);
        failures = Counter.builder("strata.projection.failures").description("Events a handler threw on (stopped or parked)")
                .tags(tags).register(registry);
        suppressedEffects = Counter.builder("strata.projection.side.effects.suppressed")
                .description("Side effects not run because the event was being replayed").tags(tags).register(registry);
        batchSize = DistributionSummary.builder("strata.projection.batch.size").description("Events per committed write batch")
                .baseUnit("events").tags(tags).register(registry);
        meters.add(events);
        meters.add(failures);
        meters.add(suppressedEffects);
        meters.add(batchSize);
        meters.add(Gauge.builder("strata.projection.checkpoint", runtime, r -> r.active().position())
                .description("Position up to which the serving generation applied every event").tags(tags).register(registry));
        meters.add(Gauge.builder("strata.projection.lag", runtime, r -> Math.max(0, store.headPosition() - r.active().position()))
                .description("Events behind the store's head").baseUnit("events").tags(tags).register(registry));
        meters.add(Gauge.builder("strata.projection.parked", runtime, r -> r.active().parked())
                .description("Parked events of the serving generation").tags(tags).register(registry));
        meters.add(Gauge.builder("strata.projection.generation", runtime, r -> r.active().number())
                .description("The serving generation").tags(tags).register(registry));
        meters.add(Gauge.builder("strata.projection.stopped", runtime, r -> r.active().failures().isEmpty() ? 0 : 1)
                .description("1 while a partition is stopped on a poison event").tags(tags).register(registry));
        meters.add(Gauge.builder("strata.projection.rebuild.lag", runtime, r -> {
                    RebuildTask rebuild = r.rebuild();
                    return rebuild == null ? 0 : Math.max(0, store.headPosition() - rebuild.generationPosition());
                })
                .description("Events the generation being rebuilt is behind the head (0 when none)").baseUnit("events")
                .tags(tags).register(registry));
    }

    void committed(long applied) {
        if (applied == 0) {
            return; // a commit that only moved the checkpoint over other partitions' events
        }
        events.increment(applied);
        batchSize.record(applied);
        rate.record(applied);
    }

    void failed() {
        failures.increment();
    }

    void effectSuppressed() {
        suppressedEffects.increment();
    }

    double eventsPerSecond() {
        return rate.perSecond();
    }

    double meanBatchSize() {
        return batchSize.count() == 0 ? 0 : batchSize.totalAmount() / batchSize.count();
    }

    void remove() {
        meters.forEach(registry::remove);
    }
}
