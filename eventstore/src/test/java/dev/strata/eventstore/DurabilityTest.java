package dev.strata.eventstore;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.eventstore.internal.log.CommitWatermark;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What each durability mode promises, as far as a running process can observe it: the watermark and the meters. */
class DurabilityTest {

    @TempDir
    Path directory;

    private static CommitWatermark.Mark watermark(Path directory) {
        try (CommitWatermark file = CommitWatermark.open(directory, true)) {
            return file.read();
        }
    }

    @Test
    void fsyncAcknowledgesOnlyWhatIsDurable() {
        try (EventStore store = EventStore.builder().directory(directory).durability(Durability.FSYNC).open()) {
            AppendResult result = store.append("s-1", ExpectedVersion.any(), EventData.json("A", "{}"), EventData.json("B", "{}"));

            CommitWatermark.Mark mark = watermark(directory);
            assertThat(mark.committedPosition()).isEqualTo(result.lastPosition());
            assertThat(mark.durablePosition()).as("durable when acknowledged").isEqualTo(result.lastPosition());
        }
    }

    @Test
    void osModeSyncsInTheBackground() {
        try (EventStore store = EventStore.builder().directory(directory).durability(Durability.OS)
                .backgroundSyncInterval(Duration.ofMillis(100)).open()) {
            AppendResult result = store.append("s-1", ExpectedVersion.any(), EventData.json("A", "{}"));

            assertThat(watermark(directory).committedPosition()).isEqualTo(result.lastPosition());
            Awaitility.await().atMost(Duration.ofSeconds(10))
                    .until(() -> watermark(directory).durablePosition() == result.lastPosition());
        }
    }

    @Test
    void concurrentAppendsShareSyncs() throws Exception {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        int threads = 16;
        int appends = 100;
        try (EventStore store = EventStore.builder().directory(directory).durability(Durability.FSYNC).meterRegistry(meters).open()) {
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                done.add(pool.submit(() -> {
                    for (int i = 0; i < appends; i++) {
                        store.append("s-" + thread, ExpectedVersion.any(), EventData.json("A", "{}"));
                    }
                }));
            }
            for (Future<?> future : done) {
                future.get();
            }
            pool.shutdown();
            double syncs = meters.get("strata.store.syncs").counter().count();
            double events = meters.get("strata.store.events.per.sync").summary().totalAmount();
            assertThat(events).isEqualTo(threads * appends);
            assertThat(syncs).as("group commit: fewer syncs than appends").isLessThan(threads * appends);
            assertThat(meters.get("strata.store.events.per.sync").summary().max()).isGreaterThan(1);
        }
    }
}
