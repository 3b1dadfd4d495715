package dev.strata.relay;

import java.time.Duration;
import java.util.Optional;

/**
 * A publish that did not go through: the destination is down, timed out, or answered with an error. Thrown by
 * {@link EventSink#publish}. A retryable failure makes the relay try the same batch again after a backoff (at least
 * {@link #retryAfter()} when the destination asked for a pause, as HTTP's {@code Retry-After} does); a failure that
 * is not retryable and is not an {@link EventRejectedException} (a bad credential, say) is retried all the same,
 * because skipping would lose events: the circuit breaker and the logs make it visible.
 */
public class SinkException extends RelayException {

    private final boolean retryable;
    private final Duration retryAfter;

    public SinkException(String message, boolean retryable, Duration retryAfter, Throwable cause) {
        super(message, cause);
        this.retryable = retryable;
        this.retryAfter = retryAfter;
    }

    public static SinkException retryable(String message, Throwable cause) {
        return new SinkException(message, true, null, cause);
    }

    @Override
    public boolean isRetryable() {
        return retryable;
    }

    /** How long the destination asked us to wait before the next attempt, if it said. */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }
}
