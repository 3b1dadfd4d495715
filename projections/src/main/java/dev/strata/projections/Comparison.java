package dev.strata.projections;

import dev.strata.eventstore.ValidationException;

/**
 * Which rows a comparison of two generations looks at: all of them, or a deterministic sample by key hash (the
 * same keys are sampled on both sides, so a sampled row that differs is a real difference).
 *
 * @param fraction   the share of keys compared, in (0, 1]
 * @param maxReported how many differences the report lists in full (all are counted)
 */
public record Comparison(double fraction, int maxReported) {

    public Comparison {
        if (!(fraction > 0 && fraction <= 1)) {
            throw new ValidationException("fraction", fraction, "must be in (0, 1]");
        }
        if (maxReported < 0) {
            throw new ValidationException("maxReported", maxReported, "must be >= 0");
        }
    }

    public static Comparison full() {
        return new Comparison(1.0, 20);
    }

    public static Comparison sampled(double fraction) {
        return new Comparison(fraction, 20);
    }
}
