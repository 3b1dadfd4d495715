package dev.strata.bench.workloads;

import dev.strata.bench.load.Progress;
import dev.strata.bench.report.Figure;
import java.util.List;

/**
 * Drives a cell before the first run and throws its figure away: the JIT's warm-up for code that no earlier cell ran
 * (the HTTP server and its client). On 2 cores the compiler threads took a third of the CPU in the first seconds of
 * the server cells, which a per-cell warm-up of a second does not absorb (profiled with perf). Kafka gets the same
 * treatment at start-up.
 */
public final class WarmUp implements Workload {

    private final AppendCell cell;
    private final int runs;

    /** @param runs the suite's runs: the plan multiplies every estimate by them, and this one runs once */
    public WarmUp(AppendCell cell, int runs) {
        this.cell = cell;
        this.runs = runs;
    }

    @Override
    public String label() {
        return "warm-up of " + cell.label() + " (first run only, not reported)";
    }

    @Override
    public double estimatedSeconds() {
        return cell.estimatedSeconds() / runs;
    }

    @Override
    public List<Figure> measure(int run, Progress progress) throws Exception {
        if (run == 0) {
            cell.measure(run, progress);
        }
        return List.of();
    }
}
