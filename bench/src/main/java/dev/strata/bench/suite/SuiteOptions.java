package dev.strata.bench.suite;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;

/**
 * How much the suite measures. {@link #full} is the published comparison (about 19 minutes on the 2-core reference
 * machine); {@link #quick} cuts every step to a fraction of a second to prove the pipeline end to end.
 *
 * @param runs            runs of everything (the figures are medians of these); JMH iterations too
 * @param warmup          warm-up of each append cell, per run
 * @param measure         measured time of each append cell, per run
 * @param singleThreads   appender threads of the single-event peer comparison
 * @param batchThreads    appender threads of the batched peer comparison
 * @param durableThreads  the extra, highest concurrency for strata-fsync beside raw-fsync (issue 3's 64 appenders)
 * @param fixedRate       appends per second offered in the fixed-rate latency comparison
 * @param readEvents      events of the read workload's store
 * @param backlog         events already stored when the subscribers start
 * @param projectEvents   events of the projection pipeline's store
 * @param rebuildEvents   events of the rebuild's store (0: no rebuild)
 * @param relayEvents     events of the relay's store (each run relays it from the start)
 * @param relayWarmup     seconds each side of the relay comparison warms up, per run
 * @param relaySeconds    seconds each side of the relay comparison is measured, per run
 * @param kafkaWarmup     how long the broker is warmed up before its first figure
 * @param jmh             whether to run the JMH suites
 * @param only            sections to run (empty: all)
 * @param work            scratch folder for stores, tables and logs (deleted after)
 */
public record SuiteOptions(boolean quick, int runs, Duration warmup, Duration measure, int[] singleThreads, int batchThreads,
                           int durableThreads, double fixedRate, long readEvents, long backlog, long projectEvents,
                           long rebuildEvents, long relayEvents, int relayWarmup, int relaySeconds, Duration kafkaWarmup, boolean jmh, Set<String> only, Path work) {

    public static SuiteOptions full(Path work) {
        return new SuiteOptions(false, 3, Duration.ofSeconds(1), Duration.ofMillis(2500), new int[] {1, 16}, 16, 64, 1000,
                2_000_000, 1_000_000, 500_000, 10_000_000, 4_000_000, 3, 5, Duration.ofSeconds(10), true, Set.of(), work);
    }

    public static SuiteOptions quick(Path work) {
        return new SuiteOptions(true, 3, Duration.ofMillis(200), Duration.ofMillis(500), new int[] {1, 16}, 16, 64, 200,
                20_000, 10_000, 20_000, 20_000, 300_000, 1, 1, Duration.ofSeconds(1), true, Set.of(), work);
    }

    public boolean includes(String section) {
        return only.isEmpty() || only.contains(section);
    }

    public SuiteOptions withRuns(int count) {
        return new SuiteOptions(quick, count, warmup, measure, singleThreads, batchThreads, durableThreads, fixedRate, readEvents, backlog,
                projectEvents, rebuildEvents, relayEvents, relayWarmup, relaySeconds, kafkaWarmup, jmh, only, work);
    }

    public SuiteOptions withTimes(Duration warm, Duration measured) {
        return new SuiteOptions(quick, runs, warm, measured, singleThreads, batchThreads, durableThreads, fixedRate, readEvents, backlog,
                projectEvents, rebuildEvents, relayEvents, relayWarmup, relaySeconds, kafkaWarmup, jmh, only, work);
    }

    public SuiteOptions withJmh(boolean on) {
        return new SuiteOptions(quick, runs, warmup, measure, singleThreads, batchThreads, durableThreads, fixedRate, readEvents, backlog,
                projectEvents, rebuildEvents, relayEvents, relayWarmup, relaySeconds, kafkaWarmup, on, only, work);
    }

    public SuiteOptions withOnly(Set<String> sections) {
        return new SuiteOptions(quick, runs, warmup, measure, singleThreads, batchThreads, durableThreads, fixedRate, readEvents, backlog,
                projectEvents, rebuildEvents, relayEvents, relayWarmup, relaySeconds, kafkaWarmup, jmh, sections, work);
    }

    public SuiteOptions withRebuildEvents(long events) {
        return new SuiteOptions(quick, runs, warmup, measure, singleThreads, batchThreads, durableThreads, fixedRate, readEvents, backlog,
                projectEvents, events, relayEvents, relayWarmup, relaySeconds, kafkaWarmup, jmh, only, work);
    }
}
