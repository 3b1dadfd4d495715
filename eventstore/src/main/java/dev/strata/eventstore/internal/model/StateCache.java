package dev.strata.eventstore.internal.model;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.ToLongFunction;

/**
 * A bounded map from stream name to the stream's folded state, evicting the least recently used entry. Split into
 * stripes, each an access-ordered map under its own lock, so concurrent commands on different streams rarely
 * contend; the eviction order is LRU within a stripe (an approximation of global LRU).
 *
 * <p>An entry may be stale (another writer appended since): the command handler catches that through the exact
 * expected version of its append and refreshes the entry. {@link #put} never replaces an entry by an older one, so
 * a slow thread cannot roll back what a faster one cached.
 *
 * @param <V> the cached value, immutable
 */
public final class StateCache<V> {

    private final Stripe<V>[] stripes;
    private final ToLongFunction<V> versionOf;

    @SuppressWarnings("unchecked")
    public StateCache(int capacity, ToLongFunction<V> versionOf) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be >= 1 but was " + capacity);
        }
        int count = Integer.highestOneBit(Math.min(16, Math.max(1, capacity / 64)));
        this.stripes = new Stripe[count];
        int perStripe = (capacity + count - 1) / count;
        for (int i = 0; i < count; i++) {
            stripes[i] = new Stripe<>(perStripe);
        }
        this.versionOf = versionOf;
    }

    public V get(String stream) {
        Stripe<V> stripe = stripe(stream);
        synchronized (stripe) {
            return stripe.get(stream);
        }
    }

    /** Caches {@code value} unless the entry already holds a newer version. */
    public void put(String stream, V value) {
        Stripe<V> stripe = stripe(stream);
        synchronized (stripe) {
            V existing = stripe.get(stream);
            if (existing == null || versionOf.applyAsLong(existing) <= versionOf.applyAsLong(value)) {
                stripe.put(stream, value);
            }
        }
    }

    public void remove(String stream) {
        Stripe<V> stripe = stripe(stream);
        synchronized (stripe) {
            stripe.remove(stream);
        }
    }

    public int size() {
        int size = 0;
        for (Stripe<V> stripe : stripes) {
            synchronized (stripe) {
                size += stripe.size();
            }
        }
        return size;
    }

    private Stripe<V> stripe(String stream) {
        int h = stream.hashCode();
        return stripes[(h ^ (h >>> 16)) & (stripes.length - 1)];
    }

    private static final class Stripe<V> extends LinkedHashMap<String, V> {
        private final int capacity;

        Stripe(int capacity) {
            super(16, 0.75f, true);
            this.capacity = capacity;
        }

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, V> eldest) {
            return size() > capacity;
        }
    }
}
