package dev.strata.server.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.server.RateLimit;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The token bucket arithmetic on a fixed clock. */
class TokenBucketsTest {

    @Test
    void aBucketHoldsItsBurstAndRefillsAtItsRate() {
        AtomicLong now = new AtomicLong();
        TokenBuckets buckets = new TokenBuckets(new RateLimit(2, 3), now::get);

        assertThat(List.of(buckets.acquire("a"), buckets.acquire("a"), buckets.acquire("a"))).containsOnly(0L);
        assertThat(buckets.acquire("a")).as("empty: one token comes in 0.5 s, said as 1 s").isEqualTo(1);
        assertThat(buckets.acquire("b")).as("another client has its own bucket").isZero();
        now.addAndGet(Duration.ofMillis(500).toNanos());
        assertThat(buckets.acquire("a")).isZero();
        assertThat(buckets.acquire("a")).isEqualTo(1);

        TokenBuckets slow = new TokenBuckets(new RateLimit(0.1, 1), now::get);
        assertThat(slow.acquire("a")).isZero();
        assertThat(slow.acquire("a")).as("at 0.1/s the next token is 10 s away").isEqualTo(10);

        now.addAndGet(Duration.ofSeconds(30).toNanos());
        buckets.forgetIdle();
        assertThat(buckets.size()).as("full buckets are forgotten").isZero();
    }
}
