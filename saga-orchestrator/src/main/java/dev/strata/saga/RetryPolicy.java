package dev.strata.saga;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * How often a step (or a compensation) is tried, and how long to wait between tries: exponential backoff with
 * jitter. Attempt {@code n + 1} waits {@code min(maxBackoff, initialBackoff * multiplier^(n-1))}, scaled down by a
 * random factor in {@code [1 - jitter, 1]} so that many sagas failing together do not retry in lockstep.
 *
 * @param maxAttempts    tries in all, including the first; at least 1
 * @param initialBackoff wait before the second try; not negative
 * @param maxBackoff     the longest wait; at least {@code initialBackoff}
 * @param multiplier     growth per try; at least 1
 * @param jitter         the share of each wait that is random, 0 (none) to 1 (full jitter)
 */
public record RetryPolicy(int maxAttempts, Duration initialBackoff, Duration maxBackoff, double multiplier, double jitter) {

    /** Steps: 3 tries, 100 ms then 200 ms (minus up to half of it). */
    public static final RetryPolicy DEFAULT_STEP = exponential(3, Duration.ofMillis(100), Duration.ofSeconds(2));

    /** Compensations try harder before a saga is marked stuck: 10 tries, 100 ms doubling up to 10 s. */
    public static final RetryPolicy DEFAULT_COMPENSATION = exponential(10, Duration.ofMillis(100), Duration.ofSeconds(10));

    public RetryPolicy {
        if (maxAttempts < 1) {
            throw new SagaValidationException("retry.maxAttempts", maxAttempts, "must be >= 1");
        }
        if (initialBackoff == null || initialBackoff.isNegative()) {
            throw new SagaValidationException("retry.initialBackoff", initialBackoff, "must be a duration >= 0");
        }
        if (maxBackoff == null || maxBackoff.compareTo(initialBackoff) < 0) {
            throw new SagaValidationException("retry.maxBackoff", maxBackoff, "must be >= initialBackoff (" + initialBackoff + ")");
        }
        if (!(multiplier >= 1.0) || Double.isInfinite(multiplier)) {
            throw new SagaValidationException("retry.multiplier", multiplier, "must be a finite number >= 1");
        }
        if (!(jitter >= 0.0 && jitter <= 1.0)) {
            throw new SagaValidationException("retry.jitter", jitter, "must be between 0 and 1");
        }
    }

    /** {@code maxAttempts} tries, waits doubling from {@code initial} up to {@code max}, half of each wait random. */
    public static RetryPolicy exponential(int maxAttempts, Duration initial, Duration max) {
        return new RetryPolicy(maxAttempts, initial, max, 2.0, 0.5);
    }

    /** One try, no retry. */
    public static RetryPolicy noRetry() {
        return new RetryPolicy(1, Duration.ZERO, Duration.ZERO, 1.0, 0.0);
    }

    public RetryPolicy withJitter(double newJitter) {
        return new RetryPolicy(maxAttempts, initialBackoff, maxBackoff, multiplier, newJitter);
    }

    public RetryPolicy withMultiplier(double newMultiplier) {
        return new RetryPolicy(maxAttempts, initialBackoff, maxBackoff, newMultiplier, jitter);
    }

    /** Whether another try is allowed after {@code failures} failed tries. */
    public boolean allowsRetryAfter(int failures) {
        return failures < maxAttempts;
    }

    /** The wait before the retry that follows failure number {@code failures} (1 for the first failure). */
    public Duration backoff(int failures, RandomGenerator random) {
        if (failures < 1) {
            throw new SagaValidationException("failures", failures, "must be >= 1");
        }
        double base = initialBackoff.toNanos() * Math.pow(multiplier, failures - 1);
        double capped = Math.min(base, maxBackoff.toNanos());
        double scaled = capped * (1.0 - jitter * random.nextDouble());
        return Duration.ofNanos((long) scaled);
    }
}
