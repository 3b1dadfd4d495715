package dev.strata.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The driver against a small in-memory target that checks versions the way a real store does. */
class AppendDriverTest {

    /** Streams as version counters; refuses a wrong expected version; can stall once, or forget to check. */
    static final class MemoryTarget implements AppendTarget {
        final Map<String, Long> versions = new ConcurrentHashMap<>();
        final AtomicInteger calls = new AtomicInteger();
        final boolean checks;
        final int stallAtCall;
        final long stallMillis;
        final long everyCallMillis;

        MemoryTarget(boolean checks, int stallAtCall, long stallMillis) {
            this(checks, stallAtCall, stallMillis, 0);
        }

        MemoryTarget(boolean checks, int stallAtCall, long stallMillis, long everyCallMillis) {
            this.checks = checks;
            this.stallAtCall = stallAtCall;
            this.stallMillis = stallMillis;
            this.everyCallMillis = everyCallMillis;
        }

        @Override
        public String name() {
            return "memory";
        }

        @Override
        public String durability() {
            return "none";
        }

        @Override
        public boolean checksExpectedVersion() {
            return true;
        }

        @Override
        public Session session(int thread) {
            return (stream, expectedVersion, count) -> {
                long sleep = (calls.incrementAndGet() == stallAtCall ? stallMillis : 0) + everyCallMillis;
                if (sleep > 0) {
                    try {
                        Thread.sleep(sleep);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                long actual = versions.getOrDefault(stream, -1L);
                if (checks && actual != expectedVersion) {
                    throw new ExpectedVersionConflict(stream, expectedVersion, null);
                }
                versions.put(stream, actual + count);
            };
        }

        @Override
        public void close() {
        }
    }

    @Test
    void everyInjectedConflictIsDetectedAndNoOtherOccurs() {
        MemoryTarget target = new MemoryTarget(true, -1, 0);
        AppendLoad load = AppendLoad.defaults().withStreams(50, StreamPicker.Distribution.ZIPF).withConcurrency(4).withBatchSize(3)
                .withConflictRate(0.2).withTimes(Duration.ofMillis(50), Duration.ofMillis(300));
        Measurement m = AppendDriver.run(target, load, Progress.NONE, "test");
        assertThat(m.errors()).as(m.firstError()).isZero();
        assertThat(m.conflictsInjected()).isPositive();
        assertThat(m.conflictsDetected()).isEqualTo(m.conflictsInjected());
        assertThat(m.clean()).isTrue();
        assertThat(m.events()).isEqualTo(m.appends() * 3);
        // versions stayed exact: every stream's version is a multiple of the batch, minus one
        assertThat(target.versions.values()).allMatch(v -> (v + 1) % 3 == 0);
    }

    @Test
    void aStaleAppendThatIsAcceptedMakesTheRunUnclean() {
        MemoryTarget careless = new MemoryTarget(false, -1, 0);
        AppendLoad load = AppendLoad.defaults().withStreams(20, StreamPicker.Distribution.UNIFORM).withConflictRate(0.5)
                .withTimes(Duration.ZERO, Duration.ofMillis(200));
        Measurement m = AppendDriver.run(careless, load, Progress.NONE, "test");
        assertThat(m.errors()).isPositive();
        assertThat(m.firstError()).contains("stale expected version was accepted");
        assertThat(m.clean()).isFalse();
    }

    @Test
    void atAFixedRateAStallIsChargedToEveryAppendQueuedBehindIt() {
        // 200 appends/s from one thread, 1 s measured after 0.2 s; the 100th call (0.5 s in) stalls for 300 ms: about 60
        // appends were due during the stall. Corrected latency counts their wait; service time does not.
        MemoryTarget target = new MemoryTarget(true, 100, 300);
        AppendLoad load = AppendLoad.defaults().withRate(200).withTimes(Duration.ofMillis(200), Duration.ofSeconds(1));
        Measurement m = AppendDriver.run(target, load, Progress.NONE, "test");
        assertThat(m.latency().max()).isGreaterThanOrEqualTo(290_000);
        assertThat(m.latency().p90()).as("p90 of corrected latency, us").isGreaterThan(50_000);
        assertThat(m.serviceTime().p50()).as("p50 of service time, us").isLessThan(50_000);
        assertThat(m.appends()).isBetween(150L, 210L);
    }

    @Test
    void aTargetSlowerThanTheOfferedRateIsChargedForWhatItNeverSent() {
        // 200 appends/s offered to a target that takes 20 ms per append (at most 50/s): the thread falls behind, the
        // run still ends with its window, and the appends it never sent count with what they had waited by then
        MemoryTarget slow = new MemoryTarget(true, -1, 0, 20);
        AppendLoad load = AppendLoad.defaults().withRate(200).withTimes(Duration.ZERO, Duration.ofMillis(600));
        long start = System.nanoTime();
        Measurement m = AppendDriver.run(slow, load, Progress.NONE, "test");
        assertThat((System.nanoTime() - start) / 1e9).as("seconds the run took").isLessThan(5);
        assertThat(m.unsent()).isPositive();
        assertThat(m.appends() + m.unsent()).isLessThanOrEqualTo(121); // 200/s x 0.6 s, plus one on the edge
        assertThat(m.latency().count()).isEqualTo(m.appends() + m.unsent());
        assertThat(m.latency().max()).as("us").isGreaterThan(200_000);
        assertThat(m.errors()).isZero();
    }
}
