package dev.strata.relay;

import dev.strata.eventstore.ValidationException;
import java.time.Duration;

/**
 * How a relay retries a failing sink: exponential backoff with jitter (attempt n waits a random time between half and
 * all of {@code min(maxBackoff, initialBackoff * multiplier^(n-1))}, and at least what the destination asked for with
 * {@code Retry-After}, up to {@code maxRetryAfter}), behind a circuit breaker that opens after
 * {@code failuresToOpen} consecutive failures and lets one trial through after {@code openDuration}.
 * The relay retries forever: it never skips an event because the destination is down.
 */
public record RetryPolicy(Duration initialBackoff, Duration maxBackoff, double multiplier, int failuresToOpen,
                          Duration openDuration, Duration maxRetryAfter) {

    public RetryPolicy {
        requirePositive("initialBackoff", initialBackoff);
        requirePositive("maxBackoff", maxBackoff);
        requirePositive("openDuration", openDuration);
        requirePositive("maxRetryAfter", maxRetryAfter);
        if (maxBackoff.compareTo(initialBackoff) < 0) {
            throw new ValidationException("maxBackoff", maxBackoff, "must be >= initialBackoff (" + initialBackoff + ")");
        }
        if (!(multiplier >= 1.0) || Double.isInfinite(multiplier)) {
            throw new ValidationException("multiplier", multiplier, "must be a finite number >= 1");
        }
        if (failuresToOpen < 1) {
            throw new ValidationException("failuresToOpen", failuresToOpen, "must be >= 1");
        }
    }

    /** 100 ms doubling up to 30 s; the circuit opens after 5 failures in a row, for 10 s; Retry-After honoured up to 10 min. */
    public static RetryPolicy defaults() {
        return new RetryPolicy(Duration.ofMillis(100), Duration.ofSeconds(30), 2.0, 5, Duration.ofSeconds(10),
                Duration.ofMinutes(10));
    }

    public RetryPolicy withInitialBackoff(Duration value) {
        return new RetryPolicy(value, maxBackoff.compareTo(value) < 0 ? value : maxBackoff, multiplier, failuresToOpen,
                openDuration, maxRetryAfter);
    }

    public RetryPolicy withMaxBackoff(Duration value) {
        return new RetryPolicy(initialBackoff, value, multiplier, failuresToOpen, openDuration, maxRetryAfter);
    }

    public RetryPolicy withFailuresToOpen(int value) {
        return new RetryPolicy(initialBackoff, maxBackoff, multiplier, value, openDuration, maxRetryAfter);
    }

    public RetryPolicy withOpenDuration(Duration value) {
        return new RetryPolicy(initialBackoff, maxBackoff, multiplier, failuresToOpen, value, maxRetryAfter);
    }

    private static void requirePositive(String name, Duration value) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw new ValidationException(name, value, "must be a positive duration");
        }
    }
}
