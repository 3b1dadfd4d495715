package dev.strata.bench.load;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Picks which of {@code n} streams the next append goes to: uniformly, or Zipf-distributed (stream 0 the hottest,
 * stream k chosen with probability proportional to {@code 1 / (k + 1)^s}). Zipf uses a precomputed cumulative table
 * and a binary search, so a pick costs O(log n) and no allocation. Not thread-safe: one per appender thread, each
 * with its own seeded random source, so a run is repeatable.
 */
public final class StreamPicker {

    private final int n;
    private final double[] cumulative; // null for uniform

    private StreamPicker(int n, double[] cumulative) {
        this.n = n;
        this.cumulative = cumulative;
    }

    public static StreamPicker uniform(int n) {
        requirePositive(n);
        return new StreamPicker(n, null);
    }

    /** Zipf with exponent {@code s} (0.99 is the YCSB default; larger is more skewed). */
    public static StreamPicker zipf(int n, double s) {
        requirePositive(n);
        if (!(s > 0) || Double.isInfinite(s)) {
            throw new IllegalArgumentException("zipf exponent must be > 0 but was " + s);
        }
        double[] cumulative = new double[n];
        double sum = 0;
        for (int k = 0; k < n; k++) {
            sum += 1 / Math.pow(k + 1, s);
            cumulative[k] = sum;
        }
        for (int k = 0; k < n; k++) {
            cumulative[k] /= sum;
        }
        cumulative[n - 1] = 1.0; // no rounding gap at the top
        return new StreamPicker(n, cumulative);
    }

    public static StreamPicker of(Distribution distribution, int n, double zipfExponent) {
        return distribution == Distribution.ZIPF ? zipf(n, zipfExponent) : uniform(n);
    }

    public int size() {
        return n;
    }

    /** The next stream, in [0, n). */
    public int next(SplittableRandom random) {
        if (cumulative == null) {
            return random.nextInt(n);
        }
        double u = random.nextDouble();
        int at = Arrays.binarySearch(cumulative, u);
        return at >= 0 ? at : Math.min(-at - 1, n - 1);
    }

    /** The probability of stream {@code k} (for tests and the report). */
    public double probability(int k) {
        if (cumulative == null) {
            return 1.0 / n;
        }
        return k == 0 ? cumulative[0] : cumulative[k] - cumulative[k - 1];
    }

    private static void requirePositive(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("streams must be >= 1 but was " + n);
        }
    }

    /** How appends spread over streams. */
    public enum Distribution {
        UNIFORM, ZIPF
    }
}
