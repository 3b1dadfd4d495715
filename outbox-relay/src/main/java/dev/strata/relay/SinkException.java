package dev.strata.relay;

import java.time.Duration;
import java.util.Optional;

/**
 * A publish that did not go through: the destination is down, timed out, or answered with an error. Thrown by
 * {@link EventSink#publish}. The relay tries again after a backoff (at least {@link #retryAfter()} when the destination
 * asked for a pause, as HTTP's {@code Retry-After} does), starting after the {@link #acknowledged()} leading events the
 * destination did take. A failure that is not retryable and is not an {@link EventRejectedException} (a bad
 * credential, say) is retried all the same, because skipping would lose events: the circuit breaker, the metrics and
 * the logs make it visible.
 */
public class SinkException extends RelayException {

    private final boolean retryable;
    private final Duration retryAfter;
    private final int acknowledged;

    /**
     * @param acknowledged how many events at the head of the list the destination acknowledged before the failure
     *                     (0 when unknown: then the relay publishes them again, which at-least-once allows)
     */
    public SinkException(String message, boolean retryable, Duration retryAfter, int acknowledged, Throwable cause) {
        super(message, cause);
        if (acknowledged < 0) {
            throw new IllegalArgumentException("acknowledged must be >= 0 but was " + acknowledged);
        }
        this.retryable = retryable;
        this.retryAfter = retryAfter;
        this.acknowledged = acknowledged;
    }

    public static SinkException retryable(String message, Throwable cause) {
        return new SinkException(message, true, null, 0, cause);
    }

    @Override
    public boolean isRetryable() {
        return retryable;
    }

    /** How long the destination asked us to wait before the next attempt, if it said. */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }

    /** How many events at the head of the published list were acknowledged before the failure. */
    public int acknowledged() {
        return acknowledged;
    }
}
