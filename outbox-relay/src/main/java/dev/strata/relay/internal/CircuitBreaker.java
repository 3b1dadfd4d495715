package dev.strata.relay.internal;

import dev.strata.relay.CircuitState;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.function.BiConsumer;

/**
 * closed → open after {@code failuresToOpen} consecutive failures → half-open when the open period is over (one trial
 * attempt) → closed on success, open again on failure. Used by one relay thread; {@link #state()} may be read from
 * any thread (the metrics gauge).
 */
public final class CircuitBreaker {

    private final int failuresToOpen;
    private final Duration openDuration;
    private final InstantSource clock;
    private final BiConsumer<CircuitState, CircuitState> onTransition;
    private volatile CircuitState state = CircuitState.CLOSED;
    private int consecutiveFailures;
    private Instant openUntil = Instant.MIN;
    private long openings;

    /** {@code onTransition(from, to)} is called on the relay thread at every change of state (for the log). */
    public CircuitBreaker(int failuresToOpen, Duration openDuration, InstantSource clock,
                          BiConsumer<CircuitState, CircuitState> onTransition) {
        this.failuresToOpen = failuresToOpen;
        this.openDuration = openDuration;
        this.clock = clock;
        this.onTransition = onTransition;
    }

    public CircuitState state() {
        return state;
    }

    /** How many times the circuit has opened. */
    public long openings() {
        return openings;
    }

    /** Zero when an attempt may go now (moving open → half-open when the period is over), else how long to wait. */
    public Duration timeUntilAttempt() {
        if (state != CircuitState.OPEN) {
            return Duration.ZERO;
        }
        Instant now = clock.instant();
        if (!now.isBefore(openUntil)) {
            moveTo(CircuitState.HALF_OPEN);
            return Duration.ZERO;
        }
        return Duration.between(now, openUntil);
    }

    public void onSuccess() {
        consecutiveFailures = 0;
        if (state != CircuitState.CLOSED) {
            moveTo(CircuitState.CLOSED);
        }
    }

    public void onFailure() {
        consecutiveFailures++;
        if (state == CircuitState.HALF_OPEN || (state == CircuitState.CLOSED && consecutiveFailures >= failuresToOpen)) {
            openUntil = clock.instant().plus(openDuration);
            openings++;
            moveTo(CircuitState.OPEN);
        }
    }

    private void moveTo(CircuitState next) {
        CircuitState previous = state;
        state = next;
        onTransition.accept(previous, next);
    }
}
