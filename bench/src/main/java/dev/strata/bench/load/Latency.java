package dev.strata.bench.load;

import org.HdrHistogram.Histogram;

/**
 * Latency percentiles of a run, in microseconds.
 *
 * @param count samples
 */
public record Latency(long count, double p50, double p90, double p99, double p999, double p9999, double max, double mean) {

    public static final Latency NONE = new Latency(0, 0, 0, 0, 0, 0, 0, 0);

    /** From a histogram of nanoseconds. */
    public static Latency of(Histogram nanos) {
        if (nanos.getTotalCount() == 0) {
            return NONE;
        }
        return new Latency(nanos.getTotalCount(), micros(nanos.getValueAtPercentile(50)), micros(nanos.getValueAtPercentile(90)),
                micros(nanos.getValueAtPercentile(99)), micros(nanos.getValueAtPercentile(99.9)),
                micros(nanos.getValueAtPercentile(99.99)), micros(nanos.getMaxValue()), nanos.getMean() / 1000);
    }

    /** The percentiles in report order: p50, p90, p99, p99.9, p99.99, max. */
    public double[] percentiles() {
        return new double[] {p50, p90, p99, p999, p9999, max};
    }

    public static final String[] PERCENTILE_NAMES = {"p50", "p90", "p99", "p99.9", "p99.99", "max"};

    private static double micros(long nanos) {
        return nanos / 1000.0;
    }
}
