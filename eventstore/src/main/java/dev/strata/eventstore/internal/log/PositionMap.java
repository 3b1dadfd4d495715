package dev.strata.eventstore.internal.log;

import java.util.Arrays;

/**
 * A sparse map from global positions to log indexes, so a read from any position starts near it instead of
 * scanning from the start. For every bucket of {@value #BUCKET_SIZE} positions it holds the log index of the
 * record that contains the bucket's first position. Records are dense and in order, so each bucket is set
 * exactly once, in increasing order.
 *
 * <p>One thread records (the writer, or recovery before the writer starts); any thread looks up. Entries are
 * published through the volatile count, and a reader also bounds its read by the commit watermark, so an
 * entry for a record not yet committed is harmless.
 */
public final class PositionMap {

    public static final int BUCKET_BITS = 8;
    public static final int BUCKET_SIZE = 1 << BUCKET_BITS;

    private volatile long[] indexes = new long[1024];
    private volatile int filled;

    /** Notes that the record at {@code logIndex} holds positions {@code first..last}. Single writer. */
    public void record(long logIndex, long first, long last) {
        int next = filled;
        long[] current = indexes;
        while (((long) next << BUCKET_BITS) <= last) {
            if (((long) next << BUCKET_BITS) < first) {
                throw new IllegalStateException("position map gap: bucket " + next + " before record at position " + first);
            }
            if (next == current.length) {
                current = Arrays.copyOf(current, current.length * 2);
                indexes = current;
            }
            current[next++] = logIndex;
        }
        filled = next;
    }

    /** Sets a bucket loaded from the index; buckets must come in order from 0. */
    public void load(int bucket, long logIndex) {
        if (bucket != filled) {
            throw new IllegalStateException("position map loaded out of order: bucket " + bucket + ", expected " + filled);
        }
        long[] current = indexes;
        if (bucket == current.length) {
            current = Arrays.copyOf(current, current.length * 2);
            indexes = current;
        }
        current[bucket] = logIndex;
        filled = bucket + 1;
    }

    /**
     * A log index at or before the record holding {@code position}: the bucket's record if known, else the last
     * known bucket's, else -1 (start of the log).
     */
    public long floorIndex(long position) {
        int known = filled;
        long[] current = indexes;
        if (known == 0) {
            return -1;
        }
        long bucket = Math.min(position >>> BUCKET_BITS, known - 1);
        return current[(int) bucket];
    }

    /** Number of buckets set; bucket {@code b} covers positions from {@code b << BUCKET_BITS}. */
    public int buckets() {
        return filled;
    }

    public long bucketIndex(int bucket) {
        return indexes[bucket];
    }
}
