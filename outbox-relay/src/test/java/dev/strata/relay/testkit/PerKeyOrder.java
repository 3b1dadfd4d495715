package dev.strata.relay.testkit;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks what a consumer received, per key (stream), against at-least-once-in-order: versions seen for the first time
 * must come as 0, 1, 2, ... with no gap; a version at or below the highest seen so far is a re-delivery (allowed).
 * A version that jumps ahead means an earlier event was overtaken: a violation.
 */
public final class PerKeyOrder {

    private final Map<String, Long> highest = new LinkedHashMap<>();
    private final List<String> violations = new ArrayList<>();
    private long deliveries;
    private long redeliveries;

    public void accept(String key, long version) {
        deliveries++;
        long seen = highest.getOrDefault(key, -1L);
        if (version <= seen) {
            redeliveries++;
        } else if (version == seen + 1) {
            highest.put(key, version);
        } else {
            violations.add(key + ": version " + version + " arrived after " + seen);
            highest.put(key, version);
        }
    }

    public List<String> violations() {
        return violations;
    }

    /** The highest version delivered without a gap, per key. */
    public Map<String, Long> highest() {
        return highest;
    }

    public long deliveries() {
        return deliveries;
    }

    public long redeliveries() {
        return redeliveries;
    }

    @Override
    public String toString() {
        return deliveries + " deliveries, " + redeliveries + " re-deliveries, " + highest.size() + " keys, "
                + violations.size() + " violations" + (violations.isEmpty() ? "" : " " + violations.subList(0, Math.min(5, violations.size())));
    }
}
