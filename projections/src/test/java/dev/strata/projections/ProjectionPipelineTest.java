package dev.strata.projections;

import static dev.strata.projections.TestProjections.append;
import static dev.strata.projections.TestProjections.countPerStream;
import static dev.strata.projections.TestProjections.expectedCounts;
import static dev.strata.projections.TestProjections.lastEvent;
import static dev.strata.projections.TestProjections.rows;
import static dev.strata.projections.TestProjections.totals;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.strata.eventstore.AppendResult;
import dev.strata.eventstore.Durability;
import dev.strata.eventstore.EventStore;
import dev.strata.eventstore.ExpectedVersion;
import dev.strata.eventstore.ValidationException;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProjectionPipelineTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    private EventStore store;
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

    @BeforeEach
    void openStore() {
        store = EventStore.builder().directory(dir.resolve("store")).durability(Durability.OS).meterRegistry(meters).open();
    }

    @AfterEach
    void closeStore() {
        store.close();
    }

    private ProjectionPipelineBuilder builder() {
        return ProjectionPipeline.builder(store).directory(dir.resolve("read-models")).meterRegistry(meters);
    }

    @Test
    void appliesEveryEventOnceAndWaitsForPositions() {
        Projection<String, Long> counts = countPerStream("counts");
        Projection<String, TestProjections.LastEvent> last = lastEvent("last");
        Projection<String, Long> totals = totals("totals");
        append(store, "order", 7, 500, 0);
        try (ProjectionPipeline pipeline = builder().add(counts).add(last).add(totals).open()) {
            pipeline.start();
            AppendResult tail = append(store, "order", 7, 500, 500);
            pipeline.awaitPosition("counts", tail.lastPosition(), WAIT);
            assertThat(rows(pipeline.readModel(counts), "", "~")).isEqualTo(expectedCounts(store));

            ReadModel<String, Long> totalsModel = pipeline.readModel(totals).atLeast(tail.lastPosition(), WAIT);
            assertThat(totalsModel.get("count")).contains(1000L);
            assertThat(totalsModel.get("sum")).contains(999L * 1000 / 2);

            TestProjections.LastEvent lastOfOrder3 = pipeline.readModel(last).atLeast(tail.lastPosition(), WAIT).get("order-3").orElseThrow();
            // The second append's i = 493 is its last with i % 7 == 3: n = 500 + 493, at position 993.
            assertThat(lastOfOrder3.n()).isEqualTo(993);
            assertThat(lastOfOrder3.position()).isEqualTo(993);

            ProjectionStatus status = pipeline.status("counts");
            assertThat(status.state()).isEqualTo(ProjectionState.RUNNING);
            assertThat(status.checkpoint()).isEqualTo(999);
            assertThat(status.lag()).isZero();
            assertThat(status.generation()).isEqualTo(1);
            assertThat(meters.get("strata.projection.checkpoint").tag("projection", "counts").gauge().value()).isEqualTo(999);
            assertThat(meters.get("strata.projection.events").tag("projection", "counts").counter().count()).isEqualTo(1000);
            assertThat(meters.get("strata.projection.lag").tag("projection", "totals").gauge().value()).isZero();
        }
    }

    @Test
    void goesOnFromItsCheckpointAfterARestart() {
        Projection<String, Long> counts = countPerStream("counts");
        Projection<String, Long> totals = totals("totals");
        for (int run = 0; run < 3; run++) {
            AppendResult tail = append(store, "item", 5, 300, run * 300L);
            try (ProjectionPipeline pipeline = builder().add(counts).add(totals).open()) {
                pipeline.start();
                pipeline.awaitPosition("counts", tail.lastPosition(), WAIT);
                pipeline.awaitPosition("totals", tail.lastPosition(), WAIT);
                assertThat(rows(pipeline.readModel(counts), "", "~")).isEqualTo(expectedCounts(store));
                assertThat(pipeline.readModel(totals).get("count")).contains(300L * (run + 1));
            }
        }
    }

    @Test
    void aProjectionAddedLaterCatchesUpWhileTheOthersSkipWhatTheyHave() {
        Projection<String, Long> counts = countPerStream("counts");
        AppendResult first = append(store, "a", 3, 200, 0);
        try (ProjectionPipeline pipeline = builder().add(counts).open()) {
            pipeline.start();
            pipeline.awaitPosition("counts", first.lastPosition(), WAIT);
        }
        Projection<String, Long> totals = totals("totals");
        AppendResult second = append(store, "a", 3, 100, 200);
        try (ProjectionPipeline pipeline = builder().add(counts).add(totals).open()) {
            pipeline.start();
            pipeline.awaitPosition("counts", second.lastPosition(), WAIT);
            pipeline.awaitPosition("totals", second.lastPosition(), WAIT);
            assertThat(rows(pipeline.readModel(counts), "", "~")).isEqualTo(expectedCounts(store));
            assertThat(pipeline.readModel(totals).get("count")).contains(300L);
        }
    }

    @Test
    void keyPartitionsKeepOrderPerKeyAndGiveTheSameRowsAsOnePartition() {
        Projection<String, Long> counts = countPerStream("counts");
        Projection<String, TestProjections.LastEvent> last = lastEvent("last");
        AppendResult tail = append(store, "user", 50, 3000, 0);
        try (ProjectionPipeline pipeline = builder()
                .add(counts, ProjectionOptions.defaults().withPartitions(3))
                .add(last, ProjectionOptions.defaults().withPartitions(4))
                .open()) {
            pipeline.start();
            pipeline.awaitPosition("counts", tail.lastPosition(), WAIT);
            pipeline.awaitPosition("last", tail.lastPosition(), WAIT);
            assertThat(rows(pipeline.readModel(counts), "", "~")).isEqualTo(expectedCounts(store));
            Map<String, TestProjections.LastEvent> lastRows = rows(pipeline.readModel(last), "", "~");
            assertThat(lastRows).hasSize(50);
            // Per-key order: the last event applied for each stream is its last in the log.
            lastRows.forEach((stream, event) -> assertThat(event.position() % 50).isEqualTo(Long.parseLong(stream.substring(5))));
            lastRows.forEach((stream, event) -> assertThat(event.position()).isGreaterThanOrEqualTo(2950));
            assertThat(pipeline.status("counts").partitions()).isEqualTo(3);
        }
        // The partition count is part of a generation: changing it needs a rebuild.
        assertThatThrownBy(() -> builder().add(counts).add(last, ProjectionOptions.defaults().withPartitions(4)).open())
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("partitions")
                .hasMessageContaining("3 partitions");
    }

    @Test
    void scansByPrefixAndRangeInKeyOrder() {
        Projection<String, Long> counts = countPerStream("counts");
        for (String stream : List.of("order-1", "order-2", "order-10", "payment-1", "shipment-7")) {
            store.append(stream, ExpectedVersion.any(), TestProjections.event("E", 1));
        }
        try (ProjectionPipeline pipeline = builder().add(counts).open()) {
            pipeline.start();
            ReadModel<String, Long> model = pipeline.readModel(counts).atLeast(store.headPosition(), WAIT);
            assertThat(model.scanPrefix("order-", 10)).extracting(Row::key).containsExactly("order-1", "order-10", "order-2");
            assertThat(model.scanPrefix("order-", 2)).extracting(Row::key).containsExactly("order-1", "order-10");
            assertThat(model.scanRange("order-2", "shipment", 10)).extracting(Row::key).containsExactly("order-2", "payment-1");
            assertThat(model.get("nope")).isEmpty();
            assertThatThrownBy(() -> model.scanPrefix("order-", 0)).isInstanceOf(ValidationException.class).hasMessageContaining("limit");
        }
    }

    @Test
    void waitsTimeOutWithTheirPositionAndRefuseBadInput() {
        Projection<String, Long> counts = countPerStream("counts");
        try (ProjectionPipeline pipeline = builder().add(counts).open()) {
            pipeline.start();
            assertThatThrownBy(() -> pipeline.awaitPosition("counts", 5, Duration.ofMillis(50)))
                    .isInstanceOf(ProjectionTimeoutException.class)
                    .hasMessageContaining("position 5")
                    .satisfies(e -> assertThat(((ProjectionTimeoutException) e).isRetryable()).isTrue());
            assertThatThrownBy(() -> pipeline.awaitPosition("nope", 5, WAIT))
                    .isInstanceOf(ValidationException.class).hasMessageContaining("projection").hasMessageContaining("[counts]");
            assertThatThrownBy(pipeline::start).isInstanceOf(ProjectionStateException.class);
        }
        assertThatThrownBy(() -> builder().add(counts).add(countPerStream("counts")).open())
                .isInstanceOf(ValidationException.class).hasMessageContaining("unique");
        assertThatThrownBy(() -> builder().add(countPerStream("bad/name")).open())
                .isInstanceOf(ValidationException.class).hasMessageContaining("projection.name");
        assertThatThrownBy(() -> ProjectionPipeline.builder(store).add(counts).open())
                .isInstanceOf(ValidationException.class).hasMessageContaining("directory");
        assertThatThrownBy(() -> builder().add(counts).ringSize(1000).open())
                .isInstanceOf(ValidationException.class).hasMessageContaining("ringSize");
    }

    @Test
    void sideEffectsRunForLiveEventsOnlyAndAfterTheHandlerSucceeded() {
        java.util.List<Long> effects = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
        Projection<String, Long> notifying = Projection.of("notify", KeyCodec.string(), ValueCodec.int64(), (event, model) -> {
            model.put(event.stream(), event.position());
            model.sideEffect(() -> effects.add(event.position()));
        });
        AppendResult tail = append(store, "n", 2, 10, 0);
        try (ProjectionPipeline pipeline = builder().add(notifying).open()) {
            pipeline.start();
            pipeline.awaitPosition("notify", tail.lastPosition(), WAIT);
        }
        assertThat(effects).containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L);
    }

    @Test
    void handlerReadsAndScansSeeEarlierWritesOfTheSameBatch() {
        // Every event rewrites an index row per stream and scans the prefix: the scan must see this batch's rows.
        Projection<String, Long> index = Projection.of("index", KeyCodec.string(), ValueCodec.int64(), (event, model) -> {
            model.put("stream/" + event.stream(), event.position());
            model.put("size", (long) model.scanPrefix("stream/", 1000).size());
        });
        AppendResult tail = append(store, "s", 20, 200, 0);
        try (ProjectionPipeline pipeline = builder().add(index).open()) {
            pipeline.start();
            assertThat(pipeline.readModel(index).atLeast(tail.lastPosition(), WAIT).get("size")).contains(20L);
        }
    }
}
