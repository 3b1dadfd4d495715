package dev.strata.eventstore.internal.writer;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.List;

/** The writer's meters, tagged with the store name. */
public final class WriterMetrics {

    private final Counter appends;
    private final Counter events;
    private final Counter syncs;
    private final DistributionSummary eventsPerSync;
    private final DistributionSummary batchSize;
    private final Counter conflicts;
    private final Counter retries;

    public WriterMetrics(MeterRegistry registry, String store) {
        Tags tags = Tags.of("store", store);
        appends = Counter.builder("strata.store.appends").description("Appends written (one record each)").tags(tags).register(registry);
        events = Counter.builder("strata.store.events.appended").description("Events written").tags(tags).register(registry);
        syncs = Counter.builder("strata.store.syncs").description("fdatasync group commits of the log").tags(tags).register(registry);
        eventsPerSync = DistributionSummary.builder("strata.store.events.per.sync").description("Events made durable by one sync")
                .tags(tags).register(registry);
        batchSize = DistributionSummary.builder("strata.store.writer.batch").description("Ring slots drained per writer batch")
                .tags(tags).register(registry);
        conflicts = Counter.builder("strata.store.append.conflicts").description("Appends refused for a wrong expected version")
                .tags(tags).register(registry);
        retries = Counter.builder("strata.store.append.idempotent").description("Retried appends answered with the original result")
                .tags(tags).register(registry);
    }

    /** Every meter, so the store can remove them when it closes. */
    public List<Meter> meters() {
        return List.of(appends, events, syncs, eventsPerSync, batchSize, conflicts, retries);
    }

    void appended(int eventCount) {
        appends.increment();
        events.increment(eventCount);
    }

    void synced(int eventCount) {
        syncs.increment();
        eventsPerSync.record(eventCount);
    }

    void batch(int slots) {
        batchSize.record(slots);
    }

    void conflict() {
        conflicts.increment();
    }

    void idempotentRetry() {
        retries.increment();
    }
}
