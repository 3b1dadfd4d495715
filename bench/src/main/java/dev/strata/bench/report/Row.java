package dev.strata.bench.report;

import dev.strata.bench.load.Latency;
import java.util.ArrayList;
import java.util.List;

/**
 * One system in one scenario over all runs: its figure per run and, per run, its ratio to the baseline measured in
 * that same run (null where the baseline was not measured in that run).
 */
public record Row(String scenario, String system, String durability, String unit, String baseline, List<Double> values,
                  List<Double> ratios, List<Latency> latencies, List<String> problems) {

    public Stats stats() {
        return Stats.of(values);
    }

    public Stats ratioStats() {
        return Stats.of(ratios.stream().filter(r -> r != null).toList());
    }

    public boolean hasLatency() {
        return latencies.stream().anyMatch(l -> l != null && l.count() > 0);
    }

    /** Median over runs of each latency percentile (p50, p90, p99, p99.9, p99.99, max), in microseconds. */
    public Stats[] latencyStats() {
        Stats[] stats = new Stats[Latency.PERCENTILE_NAMES.length];
        for (int p = 0; p < stats.length; p++) {
            List<Double> values = new ArrayList<>();
            for (Latency latency : latencies) {
                if (latency != null && latency.count() > 0) {
                    values.add(latency.percentiles()[p]);
                }
            }
            stats[p] = Stats.of(values);
        }
        return stats;
    }
}
