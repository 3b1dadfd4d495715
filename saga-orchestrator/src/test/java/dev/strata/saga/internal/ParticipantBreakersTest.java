package dev.strata.saga.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.saga.CircuitBreakerPolicy;
import dev.strata.saga.CircuitState;
import dev.strata.saga.TransientFailure;
import dev.strata.saga.testing.ManualClock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Circuit breaker transitions on a fake clock: closed, open, half-open with one probe, closed or open again. */
class ParticipantBreakersTest {

    private final ManualClock clock = ManualClock.atEpoch();
    private final ParticipantBreakers breakers = new ParticipantBreakers(clock, CircuitBreakerPolicy.DEFAULT,
            Map.of("payment", new CircuitBreakerPolicy(50f, Duration.ofSeconds(10), 4, Duration.ofSeconds(5))));

    private void fail(int times) {
        for (int i = 0; i < times; i++) {
            assertThat(breakers.tryAcquire("payment")).isTrue();
            breakers.failed("payment", 1_000, new TransientFailure("down"));
        }
    }

    private void succeed(int times) {
        for (int i = 0; i < times; i++) {
            assertThat(breakers.tryAcquire("payment")).isTrue();
            breakers.succeeded("payment", 1_000);
        }
    }

    @Test
    void opensOnTheFailureRateOverTheWindowAndProbesOnceAfterTheCooldown() {
        succeed(2);
        fail(1);
        assertThat(breakers.state("payment")).as("3 calls: below the minimum of 4").isEqualTo(CircuitState.CLOSED);
        fail(1);
        assertThat(breakers.state("payment")).as("2 of 4 failed = 50 %").isEqualTo(CircuitState.OPEN);

        assertThat(breakers.tryAcquire("payment")).as("open: fail fast").isFalse();
        clock.advance(Duration.ofMillis(4_999));
        assertThat(breakers.tryAcquire("payment")).as("still cooling down").isFalse();

        clock.advance(Duration.ofMillis(2));
        assertThat(breakers.tryAcquire("payment")).as("the one probe").isTrue();
        assertThat(breakers.state("payment")).isEqualTo(CircuitState.HALF_OPEN);
        assertThat(breakers.tryAcquire("payment")).as("a second call while the probe is out").isFalse();

        breakers.failed("payment", 1_000, new TransientFailure("still down"));
        assertThat(breakers.state("payment")).as("a failed probe reopens").isEqualTo(CircuitState.OPEN);
        assertThat(breakers.tryAcquire("payment")).isFalse();

        clock.advance(Duration.ofSeconds(5).plusMillis(1));
        assertThat(breakers.tryAcquire("payment")).isTrue();
        breakers.succeeded("payment", 1_000);
        assertThat(breakers.state("payment")).as("a good probe closes").isEqualTo(CircuitState.CLOSED);
        succeed(3);
    }

    @Test
    void failuresOutsideTheWindowDoNotCount() {
        succeed(2);
        fail(1);
        clock.advance(Duration.ofSeconds(11));
        fail(1);
        succeed(2);
        assertThat(breakers.state("payment")).as("1 failure of 3 calls in the last 10 s").isEqualTo(CircuitState.CLOSED);
    }

    @Test
    void releasedPermissionsCountNothing() {
        for (int i = 0; i < 10; i++) {
            assertThat(breakers.tryAcquire("payment")).isTrue();
            breakers.release("payment");
        }
        fail(3);
        assertThat(breakers.state("payment")).as("3 recorded calls: below the minimum").isEqualTo(CircuitState.CLOSED);
        assertThat(breakers.state("other")).isEqualTo(CircuitState.CLOSED);
        assertThat(breakers.pollInterval("payment")).isEqualTo(Duration.ofMillis(500));
    }
}
