package dev.strata.server.internal;

import dev.strata.server.RateLimit;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * One token bucket per client key (a token's name, or a client address when auth is off): {@code burst} requests
 * at most, refilled continuously at {@code perSecond}. A full bucket is the same as no bucket, so idle clients are
 * forgotten ({@link #forgetIdle()}), which bounds the memory an address scan can take. Thread-safe; the clock is
 * injected for tests.
 */
public final class TokenBuckets {

    private final RateLimit limit;
    private final LongSupplier nanoClock;
    private final ConcurrentHashMap<String, Bucket> buckets = new ConcurrentHashMap<>();

    public TokenBuckets(RateLimit limit, LongSupplier nanoClock) {
        this.limit = limit;
        this.nanoClock = nanoClock;
    }

    /** Takes one token for {@code key}: 0 if it had one, else the whole seconds until it will (at least 1). */
    long acquire(String key) {
        Bucket bucket = buckets.computeIfAbsent(key, k -> new Bucket(limit.burst(), nanoClock.getAsLong()));
        synchronized (bucket) {
            bucket.refill(nanoClock.getAsLong());
            if (bucket.tokens >= 1) {
                bucket.tokens -= 1;
                return 0;
            }
            double seconds = (1 - bucket.tokens) / limit.perSecond();
            return Math.max(1, (long) Math.ceil(seconds));
        }
    }

    /** Drops the buckets that have refilled completely: they hold nothing a new bucket would not. */
    public void forgetIdle() {
        long now = nanoClock.getAsLong();
        buckets.entrySet().removeIf(entry -> {
            Bucket bucket = entry.getValue();
            synchronized (bucket) {
                bucket.refill(now);
                return bucket.tokens >= limit.burst();
            }
        });
    }

    int size() {
        return buckets.size();
    }

    private final class Bucket {
        double tokens;
        long refilledAt;

        Bucket(double tokens, long now) {
            this.tokens = tokens;
            this.refilledAt = now;
        }

        void refill(long now) {
            long elapsed = now - refilledAt;
            if (elapsed > 0) {
                tokens = Math.min(limit.burst(), tokens + elapsed / 1e9 * limit.perSecond());
                refilledAt = now;
            }
        }
    }
}
