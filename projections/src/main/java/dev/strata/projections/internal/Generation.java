package dev.strata.projections.internal;

import dev.strata.projections.ProjectionFailure;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;
import org.rocksdb.ColumnFamilyHandle;

/**
 * One generation of a projection's read model in memory: its column family, the committed checkpoint of each
 * partition, and a count of the queries using it, so that it is dropped only when none is.
 *
 * <p>Checkpoints are written by the thread that committed them (after the commit) and read by anyone.
 */
public final class Generation {

    private final String projection;
    private final long number;
    private final ColumnFamilyHandle family;
    private final AtomicLongArray checkpoints;
    private final AtomicInteger readers = new AtomicInteger();
    private final AtomicLong parked = new AtomicLong();
    private final AtomicInteger attached = new AtomicInteger();
    private final Map<Integer, ProjectionFailure> failures = new ConcurrentHashMap<>();

    Generation(String projection, long number, ColumnFamilyHandle family, long[] checkpoints) {
        this.projection = projection;
        this.number = number;
        this.family = family;
        this.checkpoints = new AtomicLongArray(checkpoints);
    }

    public String projection() {
        return projection;
    }

    public long number() {
        return number;
    }

    ColumnFamilyHandle family() {
        return family;
    }

    int partitions() {
        return checkpoints.length();
    }

    long checkpoint(int partition) {
        return checkpoints.get(partition);
    }

    void checkpoint(int partition, long position) {
        checkpoints.set(partition, position);
    }

    /** The position up to which every partition has committed: the generation's consistent position. */
    long position() {
        long min = Long.MAX_VALUE;
        for (int p = 0; p < checkpoints.length(); p++) {
            min = Math.min(min, checkpoints.get(p));
        }
        return min;
    }

    long[] checkpoints() {
        long[] copy = new long[checkpoints.length()];
        for (int p = 0; p < copy.length; p++) {
            copy[p] = checkpoints.get(p);
        }
        return copy;
    }

    long parked() {
        return parked.get();
    }

    void addParked(long delta) {
        parked.addAndGet(delta);
    }

    /** Partitions whose target is attached to the live ring (a rebuild has joined when all are). */
    AtomicInteger attached() {
        return attached;
    }

    Map<Integer, ProjectionFailure> failures() {
        return failures;
    }

    Optional<ProjectionFailure> firstFailure() {
        return failures.values().stream().min((a, b) -> Long.compare(a.position(), b.position()));
    }

    /** Registers a query; false if the generation is retired (ask the projection for the serving one again). */
    boolean acquire() {
        while (true) {
            int count = readers.get();
            if (count < 0) {
                return false;
            }
            if (readers.compareAndSet(count, count + 1)) {
                return true;
            }
        }
    }

    void release() {
        readers.decrementAndGet();
    }

    /** Refuses new queries and waits until the running ones are done; after it the column family may be dropped. */
    void retire() {
        while (!readers.compareAndSet(0, Integer.MIN_VALUE)) {
            if (readers.get() < 0) {
                return;
            }
            LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(100));
        }
    }

    @Override
    public String toString() {
        return projection + " generation " + number;
    }
}
