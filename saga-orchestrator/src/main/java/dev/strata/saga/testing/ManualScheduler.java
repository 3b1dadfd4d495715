package dev.strata.saga.testing;

import dev.strata.saga.SagaScheduler;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;

/**
 * A scheduler on a {@link ManualClock}: tasks run only when a test moves time with {@link #advance} (on the test's
 * thread, in time order). Thread-safe.
 */
public final class ManualScheduler implements SagaScheduler {

    private final ManualClock clock;
    private final PriorityQueue<Entry> queue = new PriorityQueue<>();
    private long sequence;

    public ManualScheduler(ManualClock clock) {
        this.clock = clock;
    }

    public ManualClock clock() {
        return clock;
    }

    @Override
    public synchronized Cancellable schedule(Instant at, Runnable task) {
        Entry entry = new Entry(at, sequence++, task);
        queue.add(entry);
        return () -> {
            synchronized (ManualScheduler.this) {
                queue.remove(entry);
            }
        };
    }

    /** Moves the clock by {@code duration}, running every task that falls due on the way, in order. */
    public void advance(Duration duration) {
        advanceTo(clock.instant().plus(duration));
    }

    /** Moves the clock to {@code target}, running due tasks in order (each at its own instant). */
    public void advanceTo(Instant target) {
        while (true) {
            Entry next;
            synchronized (this) {
                next = queue.peek();
                if (next == null || next.at.isAfter(target)) {
                    break;
                }
                queue.poll();
            }
            if (next.at.isAfter(clock.instant())) {
                clock.set(next.at);
            }
            next.task.run();
        }
        if (target.isAfter(clock.instant())) {
            clock.set(target);
        }
    }

    /** Runs the tasks already due, without moving the clock. */
    public void runDue() {
        advanceTo(clock.instant());
    }

    /** When the next task is due, or null if none is scheduled. */
    public synchronized Instant nextDue() {
        Entry next = queue.peek();
        return next == null ? null : next.at;
    }

    public synchronized List<Instant> pending() {
        List<Instant> all = new ArrayList<>();
        queue.forEach(entry -> all.add(entry.at));
        all.sort(null);
        return all;
    }

    private record Entry(Instant at, long sequence, Runnable task) implements Comparable<Entry> {
        @Override
        public int compareTo(Entry other) {
            int byTime = at.compareTo(other.at);
            return byTime != 0 ? byTime : Long.compare(sequence, other.sequence);
        }
    }
}
