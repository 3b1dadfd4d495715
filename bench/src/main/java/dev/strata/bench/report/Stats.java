package dev.strata.bench.report;

import java.util.List;

/** Median, minimum and maximum of a run's figures. */
public record Stats(double median, double min, double max, int runs) {

    public static Stats of(List<Double> values) {
        List<Double> sorted = values.stream().filter(v -> v != null && !v.isNaN()).sorted().toList();
        int n = sorted.size();
        if (n == 0) {
            return new Stats(Double.NaN, Double.NaN, Double.NaN, 0);
        }
        double median = n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
        return new Stats(median, sorted.get(0), sorted.get(n - 1), n);
    }
}
