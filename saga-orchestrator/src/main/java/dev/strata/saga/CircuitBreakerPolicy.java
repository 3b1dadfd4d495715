package dev.strata.saga;

import java.time.Duration;

/**
 * When a participant's circuit breaker opens and how it recovers. Closed: calls go through and their outcomes are
 * counted over a sliding time {@code window}. Once at least {@code minimumCalls} calls are in the window and at
 * least {@code failureRateThreshold} percent of them failed (transient failures and timeouts; a permanent failure
 * is a business answer, not a sick participant), the breaker opens: calls fail fast. After {@code cooldown} it is
 * half-open: one probe call goes through; its success closes the breaker, its failure opens it again.
 */
public record CircuitBreakerPolicy(float failureRateThreshold, Duration window, int minimumCalls, Duration cooldown) {

    /** 50 % failures over 10 s with at least 10 calls; 5 s cooldown. */
    public static final CircuitBreakerPolicy DEFAULT = new CircuitBreakerPolicy(50f, Duration.ofSeconds(10), 10, Duration.ofSeconds(5));

    public CircuitBreakerPolicy {
        if (!(failureRateThreshold > 0f && failureRateThreshold <= 100f)) {
            throw new SagaValidationException("circuitBreaker.failureRateThreshold", failureRateThreshold, "must be > 0 and <= 100 (percent)");
        }
        if (window == null || window.toSeconds() < 1) {
            throw new SagaValidationException("circuitBreaker.window", window, "must be at least 1 second");
        }
        if (minimumCalls < 1) {
            throw new SagaValidationException("circuitBreaker.minimumCalls", minimumCalls, "must be >= 1");
        }
        if (cooldown == null || cooldown.isNegative() || cooldown.isZero()) {
            throw new SagaValidationException("circuitBreaker.cooldown", cooldown, "must be > 0");
        }
    }
}
