package dev.strata.eventstore.internal.writer;

import dev.strata.eventstore.internal.index.StreamIndex;
import java.util.ArrayDeque;

/**
 * The event ids the writer has stored but the index does not cover yet, for the idempotence check. Allocation-free
 * open addressing over (msb, lsb) pairs, in generations of at most {@value #GENERATION} ids: a whole generation is
 * dropped at once when the index has passed its last position, so forgetting costs nothing per id.
 *
 * <p>Writer thread only.
 */
final class PendingIds {

    static final int GENERATION = 1 << 16;
    private static final int SLOTS = GENERATION * 2; // load factor at most 0.5

    private static final class Generation {
        final long[] keys = new long[SLOTS * 2]; // msb, lsb; an all-zero pair marks a free slot
        final long[] values = new long[SLOTS * 2]; // position, log index
        final int[] used = new int[GENERATION]; // the slots taken, so clearing costs per id, not per slot
        int size;
        long lastPosition = -1;

        /**
         * Frees the slots taken. The writer clears the current generation whenever the index has caught up, which with
         * small appends is after nearly every batch: zeroing all 2 MB of keys each time cost more than the append.
         */
        void clear() {
            for (int i = 0; i < size; i++) {
                keys[used[i] * 2] = 0;
                keys[used[i] * 2 + 1] = 0;
            }
            size = 0;
            lastPosition = -1;
        }
    }

    private final ArrayDeque<Generation> live = new ArrayDeque<>();
    private final ArrayDeque<Generation> spare = new ArrayDeque<>();
    private Generation current;

    PendingIds() {
        current = new Generation();
        live.add(current);
    }

    void add(long msb, long lsb, long position, long logIndex) {
        if (current.size == GENERATION) {
            current = spare.isEmpty() ? new Generation() : spare.poll();
            live.add(current);
        }
        if (msb == 0 && lsb == 0) {
            lsb = 1; // the nil UUID would read as a free slot; it never collides with a random id in practice
        }
        int slot = slot(msb, lsb);
        long[] keys = current.keys;
        boolean known = false;
        while (keys[slot * 2] != 0 || keys[slot * 2 + 1] != 0) {
            if (keys[slot * 2] == msb && keys[slot * 2 + 1] == lsb) {
                known = true;
                break;
            }
            slot = (slot + 1) & (SLOTS - 1);
        }
        keys[slot * 2] = msb;
        keys[slot * 2 + 1] = lsb;
        current.values[slot * 2] = position;
        current.values[slot * 2 + 1] = logIndex;
        if (!known) {
            current.used[current.size++] = slot;
        }
        current.lastPosition = Math.max(current.lastPosition, position);
    }

    StreamIndex.IdLocation find(long msb, long lsb) {
        if (msb == 0 && lsb == 0) {
            lsb = 1;
        }
        int start = slot(msb, lsb);
        for (Generation generation : live) {
            long[] keys = generation.keys;
            int slot = start;
            while (keys[slot * 2] != 0 || keys[slot * 2 + 1] != 0) {
                if (keys[slot * 2] == msb && keys[slot * 2 + 1] == lsb) {
                    return new StreamIndex.IdLocation(generation.values[slot * 2], generation.values[slot * 2 + 1]);
                }
                slot = (slot + 1) & (SLOTS - 1);
            }
        }
        return null;
    }

    /** Drops the generations the index now covers entirely. */
    void forgetUpTo(long indexedPosition) {
        while (live.size() > 1 && live.peek().lastPosition <= indexedPosition) {
            Generation done = live.poll();
            done.clear();
            if (spare.size() < 2) {
                spare.add(done);
            }
        }
        if (live.size() == 1 && current.size > 0 && current.lastPosition <= indexedPosition) {
            current.clear();
        }
    }

    private static int slot(long msb, long lsb) {
        long h = msb * 0x9E3779B97F4A7C15L ^ lsb;
        h ^= h >>> 29;
        return (int) h & (SLOTS - 1);
    }
}
