package dev.strata.projections.internal;

/**
 * Events per second over a sliding window of about five seconds, from counts recorded at commits. Commits are per
 * batch, not per event, so a lock is cheap here.
 */
final class EventRate {

    private static final long WINDOW_NANOS = 5_000_000_000L;
    private static final long BUCKET_NANOS = 250_000_000L;
    private static final int BUCKETS = (int) (WINDOW_NANOS / BUCKET_NANOS);

    private final long[] counts = new long[BUCKETS];
    private final long[] stamps = new long[BUCKETS];
    private final long started = System.nanoTime();

    synchronized void record(long events) {
        long now = System.nanoTime();
        long slot = (now - started) / BUCKET_NANOS;
        int index = (int) (slot % BUCKETS);
        if (stamps[index] != slot) {
            stamps[index] = slot;
            counts[index] = 0;
        }
        counts[index] += events;
    }

    synchronized double perSecond() {
        long now = System.nanoTime();
        long current = (now - started) / BUCKET_NANOS;
        long total = 0;
        for (int i = 0; i < BUCKETS; i++) {
            if (current - stamps[i] < BUCKETS && (stamps[i] != 0 || counts[i] != 0)) {
                total += counts[i];
            }
        }
        double seconds = Math.min(WINDOW_NANOS, Math.max(BUCKET_NANOS, now - started)) / 1e9;
        return total / seconds;
    }
}
