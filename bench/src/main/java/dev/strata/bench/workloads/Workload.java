package dev.strata.bench.workloads;

import dev.strata.bench.load.Progress;
import dev.strata.bench.report.Figure;
import java.util.List;

/**
 * Something the suite measures once per run: an append cell (one target under one load), a read or subscription
 * workload, the projection pipeline. Expensive preparation (filling a store) happens on the first run and is kept
 * for the next ones; {@link #close()} frees it.
 */
public interface Workload extends AutoCloseable {

    /** What the progress lines and the plan call it. */
    String label();

    /** Roughly how long one run takes, in seconds (for the plan printed before the suite starts). */
    double estimatedSeconds();

    List<Figure> measure(int run, Progress progress) throws Exception;

    @Override
    default void close() throws Exception {
    }
}
