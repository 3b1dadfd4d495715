package dev.strata.relay.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.relay.RetryPolicy;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class BackoffTest {

    final RetryPolicy policy = new RetryPolicy(Duration.ofMillis(100), Duration.ofSeconds(2), 2.0, 5,
            Duration.ofSeconds(10), Duration.ofSeconds(30));

    @Test
    void growsExponentiallyUpToTheMaximumWithJitterBetweenHalfAndAll() {
        Backoff lowest = new Backoff(policy, () -> 0.0);
        Backoff highest = new Backoff(policy, () -> 0.999_999);
        assertThat(lowest.delay(1, Optional.empty())).isEqualTo(Duration.ofMillis(50));
        assertThat(highest.delay(1, Optional.empty())).isBetween(Duration.ofMillis(99), Duration.ofMillis(100));
        assertThat(lowest.delay(2, Optional.empty())).isEqualTo(Duration.ofMillis(100));
        assertThat(lowest.delay(4, Optional.empty())).isEqualTo(Duration.ofMillis(400));
        assertThat(lowest.delay(10, Optional.empty())).isEqualTo(Duration.ofSeconds(1)); // capped at 2 s, then halved
        assertThat(highest.delay(1_000, Optional.empty())).isLessThanOrEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void waitsAtLeastWhatTheDestinationAskedForUpToTheCap() {
        Backoff backoff = new Backoff(policy, () -> 0.5);
        assertThat(backoff.delay(1, Optional.of(Duration.ofSeconds(3)))).isEqualTo(Duration.ofSeconds(3));
        assertThat(backoff.delay(1, Optional.of(Duration.ofMillis(1)))).isEqualTo(Duration.ofMillis(75));
        assertThat(backoff.delay(1, Optional.of(Duration.ofHours(5)))).isEqualTo(Duration.ofSeconds(30));
    }
}
