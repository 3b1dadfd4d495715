package dev.strata.projections;

import java.util.List;

/**
 * The result of comparing two generations of a read model.
 *
 * @param position     the checkpoint both generations were at when compared
 * @param rowsCompared keys looked at (after sampling), on either side
 * @param onlyInOld    keys only the old generation has
 * @param onlyInNew    keys only the new generation has
 * @param changed      keys both have with different values
 * @param examples     the first differences, in key order
 */
public record ComparisonReport(String projection, long oldGeneration, long newGeneration, long position,
                               double fraction, long rowsCompared, long onlyInOld, long onlyInNew, long changed,
                               List<Difference> examples) {

    public long differences() {
        return onlyInOld + onlyInNew + changed;
    }

    public boolean identical() {
        return differences() == 0;
    }

    /** One line: what was compared and how many rows differ. */
    public String summary() {
        return String.format("%s generation %d vs %d at position %d: %d rows compared%s, %d differences (%d only in old, %d only in new, %d changed)",
                projection, oldGeneration, newGeneration, position, rowsCompared,
                fraction < 1 ? String.format(" (sample of %.1f%%)", fraction * 100) : "", differences(), onlyInOld,
                onlyInNew, changed);
    }

    /** A key that differs; values are shown decoded (or as hex if they do not decode), null where absent. */
    public record Difference(String key, String oldValue, String newValue) {
    }
}
