package dev.strata.relay.internal;

import dev.strata.relay.RetryPolicy;
import java.time.Duration;
import java.util.Optional;
import java.util.function.DoubleSupplier;

/**
 * Delays between attempts: exponential, with jitter so that relays restarted together do not hammer a recovering
 * broker in step. Attempt n (from 1) waits a uniform random time in [d/2, d], d = min(max, initial * multiplier^(n-1)),
 * and never less than a destination's {@code Retry-After} (capped by the policy). Stateless; thread-safe.
 */
public final class Backoff {

    private final RetryPolicy policy;
    private final DoubleSupplier random;

    /** {@code random}: uniform in [0, 1); injected so tests are deterministic. */
    public Backoff(RetryPolicy policy, DoubleSupplier random) {
        this.policy = policy;
        this.random = random;
    }

    public Duration delay(int attempt, Optional<Duration> retryAfter) {
        if (attempt < 1) {
            throw new IllegalArgumentException("attempt must be >= 1 but was " + attempt);
        }
        double initial = policy.initialBackoff().toNanos();
        double max = policy.maxBackoff().toNanos();
        double ceiling = Math.min(max, initial * Math.pow(policy.multiplier(), Math.min(attempt - 1, 64)));
        long nanos = (long) (ceiling / 2 + random.getAsDouble() * ceiling / 2);
        Duration delay = Duration.ofNanos(nanos);
        if (retryAfter.isPresent()) {
            Duration asked = retryAfter.get().compareTo(policy.maxRetryAfter()) > 0 ? policy.maxRetryAfter() : retryAfter.get();
            if (asked.compareTo(delay) > 0) {
                delay = asked;
            }
        }
        return delay;
    }
}
