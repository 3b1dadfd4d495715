package dev.strata.projections;

import java.time.Duration;

/**
 * How far an offline replay got.
 *
 * @param position        the position applied so far (-1: none)
 * @param from            the first position of the replay
 * @param head            the last position it will apply
 * @param eventsPerSecond over the replay so far
 * @param eta             the time left at that rate
 */
public record ReplayProgress(String projection, long generation, long position, long from, long head,
                             double eventsPerSecond, Duration elapsed, Duration eta) {

    /** Share done, 0..1. */
    public double fraction() {
        long total = head - from + 1;
        return total <= 0 ? 1.0 : Math.min(1.0, Math.max(0, position - from + 1) / (double) total);
    }
}
