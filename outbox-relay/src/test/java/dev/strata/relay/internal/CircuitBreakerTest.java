package dev.strata.relay.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.relay.CircuitState;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CircuitBreakerTest {

    Instant now = Instant.parse("2026-01-01T00:00:00Z");
    final List<String> transitions = new ArrayList<>();

    private CircuitBreaker at(InstantSource clock) {
        return new CircuitBreaker(3, Duration.ofSeconds(10), clock, (from, to) -> transitions.add(from + "->" + to));
    }

    @Test
    void opensAfterConsecutiveFailuresThenLetsOneTrialThroughAfterTheOpenPeriod() {
        CircuitBreaker breaker = at(() -> now);
        breaker.onFailure();
        breaker.onFailure();
        assertThat(breaker.state()).isEqualTo(CircuitState.CLOSED);
        breaker.onFailure();
        assertThat(breaker.state()).isEqualTo(CircuitState.OPEN);
        assertThat(breaker.timeUntilAttempt()).isEqualTo(Duration.ofSeconds(10));
        now = now.plusSeconds(4);
        assertThat(breaker.timeUntilAttempt()).isEqualTo(Duration.ofSeconds(6));
        now = now.plusSeconds(6);
        assertThat(breaker.timeUntilAttempt()).isZero();
        assertThat(breaker.state()).isEqualTo(CircuitState.HALF_OPEN);
        breaker.onFailure(); // the trial failed: open again, for a full period
        assertThat(breaker.state()).isEqualTo(CircuitState.OPEN);
        assertThat(breaker.timeUntilAttempt()).isEqualTo(Duration.ofSeconds(10));
        now = now.plusSeconds(10);
        assertThat(breaker.timeUntilAttempt()).isZero();
        breaker.onSuccess();
        assertThat(breaker.state()).isEqualTo(CircuitState.CLOSED);
        assertThat(breaker.openings()).isEqualTo(2);
        assertThat(transitions).containsExactly("CLOSED->OPEN", "OPEN->HALF_OPEN", "HALF_OPEN->OPEN", "OPEN->HALF_OPEN", "HALF_OPEN->CLOSED");
    }

    @Test
    void aSuccessResetsTheFailureCount() {
        CircuitBreaker breaker = at(() -> now);
        breaker.onFailure();
        breaker.onFailure();
        breaker.onSuccess();
        breaker.onFailure();
        breaker.onFailure();
        assertThat(breaker.state()).isEqualTo(CircuitState.CLOSED);
        assertThat(breaker.timeUntilAttempt()).isZero();
    }
}
