package dev.strata.projections;

import static dev.strata.projections.TestProjections.append;
import static dev.strata.projections.TestProjections.countPerStream;
import static dev.strata.projections.TestProjections.event;
import static dev.strata.projections.TestProjections.expectedCounts;
import static dev.strata.projections.TestProjections.poisonable;
import static dev.strata.projections.TestProjections.rows;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.strata.eventstore.AppendResult;
import dev.strata.eventstore.Durability;
import dev.strata.eventstore.EventStore;
import dev.strata.eventstore.ExpectedVersion;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PoisonEventTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    private EventStore store;
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final AtomicBoolean poisoned = new AtomicBoolean(true);

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

    /** 100 events over 4 streams, a poison event on stream "p-1" at position 100, then 100 more. */
    private long appendWithPoisonAt100() {
        append(store, "p", 4, 100, 0);
        long poison = store.append("p-1", ExpectedVersion.any(), event("Poison", 0)).lastPosition();
        append(store, "p", 4, 100, 100);
        return poison;
    }

    @Test
    void stopPolicyStopsBeforeThePoisonReportsItAndResumesFromItOnceFixed() {
        Projection<String, Long> fragile = poisonable("fragile", poisoned);
        Projection<String, Long> healthy = countPerStream("healthy");
        long poison = appendWithPoisonAt100();
        long head = store.headPosition();
        try (ProjectionPipeline pipeline = builder().add(fragile).add(healthy).open()) {
            pipeline.start();
            pipeline.awaitPosition("healthy", head, WAIT); // the other projection is not held up
            await().atMost(WAIT).until(() -> pipeline.status("fragile").state() == ProjectionState.STOPPED);

            ProjectionStatus status = pipeline.status("fragile");
            assertThat(status.checkpoint()).isEqualTo(poison - 1);
            ProjectionFailure failure = status.failure().orElseThrow();
            assertThat(failure.position()).isEqualTo(poison);
            assertThat(failure.stream()).isEqualTo("p-1");
            assertThat(failure.type()).isEqualTo("Poison");
            assertThat(failure.error()).contains("IllegalArgumentException").contains("cannot digest p-1");
            assertThat(meters.get("strata.projection.stopped").tag("projection", "fragile").gauge().value()).isEqualTo(1);

            // Everything before the poison is there, nothing after it.
            assertThat(pipeline.readModel(fragile).get("p-1")).contains(25L);
            assertThat(pipeline.readModel(fragile).get("p-0")).contains(25L);
            pipeline.awaitPosition("fragile", poison - 1, WAIT);
            assertThatThrownBy(() -> pipeline.awaitPosition("fragile", poison, WAIT))
                    .isInstanceOf(ProjectionStoppedException.class)
                    .hasMessageContaining("position " + poison);

            // Still stopped while events keep coming; then fixed and resumed, it catches up exactly.
            AppendResult more = append(store, "p", 4, 40, 200);
            pipeline.awaitPosition("healthy", more.lastPosition(), WAIT);
            assertThat(pipeline.status("fragile").checkpoint()).isEqualTo(poison - 1);
            poisoned.set(false);
            pipeline.resume("fragile");
            pipeline.awaitPosition("fragile", more.lastPosition(), WAIT);
            assertThat(rows(pipeline.readModel(fragile), "", "~")).isEqualTo(expectedCounts(store));
            assertThat(pipeline.status("fragile").state()).isEqualTo(ProjectionState.RUNNING);
            AppendResult live = append(store, "p", 4, 10, 300);
            pipeline.awaitPosition("fragile", live.lastPosition(), WAIT);
            assertThat(rows(pipeline.readModel(fragile), "", "~")).isEqualTo(expectedCounts(store));
        }
    }

    @Test
    void aStoppedProjectionRetriesThePoisonAfterARestart() {
        Projection<String, Long> fragile = poisonable("fragile", poisoned);
        long poison = appendWithPoisonAt100();
        try (ProjectionPipeline pipeline = builder().add(fragile).open()) {
            pipeline.start();
            await().atMost(WAIT).until(() -> pipeline.status("fragile").state() == ProjectionState.STOPPED);
        }
        poisoned.set(false);
        try (ProjectionPipeline pipeline = builder().add(fragile).open()) {
            pipeline.start();
            pipeline.awaitPosition("fragile", store.headPosition(), WAIT);
            assertThat(rows(pipeline.readModel(fragile), "", "~")).isEqualTo(expectedCounts(store));
            assertThat(pipeline.status("fragile").checkpoint()).isGreaterThan(poison);
        }
    }

    @Test
    void parkPolicyParksThePoisonAndLaterEventsOfItsKeyAndGoesOnWithTheOthers() {
        Projection<String, Long> fragile = poisonable("fragile", poisoned);
        long poison = appendWithPoisonAt100();
        long head = store.headPosition();
        ProjectionOptions park = ProjectionOptions.defaults().withPoisonPolicy(PoisonPolicy.PARK);
        try (ProjectionPipeline pipeline = builder().add(fragile, park).open()) {
            pipeline.start();
            pipeline.awaitPosition("fragile", head, WAIT);
            ProjectionStatus status = pipeline.status("fragile");
            assertThat(status.state()).isEqualTo(ProjectionState.RUNNING);
            assertThat(status.parked()).isEqualTo(26); // the poison and the 25 later events of p-1
            assertThat(meters.get("strata.projection.parked").tag("projection", "fragile").gauge().value()).isEqualTo(26);

            List<ParkedEvent> parked = pipeline.parked("fragile", 100);
            assertThat(parked).hasSize(26).allSatisfy(event -> assertThat(event.key()).isEqualTo("p-1"));
            assertThat(parked.get(0).position()).isEqualTo(poison);
            assertThat(parked.get(0).type()).isEqualTo("Poison");
            assertThat(parked.get(0).error()).contains("cannot digest");
            assertThat(parked.get(1).error()).contains("parked behind an earlier parked event");
            assertThat(parked).extracting(ParkedEvent::position).isSorted();

            Map<String, Long> rows = rows(pipeline.readModel(fragile), "", "~");
            assertThat(rows).containsEntry("p-0", 50L).containsEntry("p-2", 50L).containsEntry("p-3", 50L).containsEntry("p-1", 25L);

            // A retry while still broken changes nothing and keeps the order.
            assertThat(pipeline.retryParked("fragile")).isEqualTo(new RetryResult(0, 26));
            assertThat(pipeline.parked("fragile", 100)).hasSize(26);

            poisoned.set(false);
            assertThat(pipeline.retryParked("fragile", "p-1")).isEqualTo(new RetryResult(26, 0));
            assertThat(pipeline.parked("fragile", 100)).isEmpty();
            assertThat(pipeline.status("fragile").parked()).isZero();
            assertThat(rows(pipeline.readModel(fragile), "", "~")).isEqualTo(expectedCounts(store));

            // Later events of the key are applied normally again.
            AppendResult after = store.append("p-1", ExpectedVersion.any(), event("Counted", 1));
            pipeline.awaitPosition("fragile", after.lastPosition(), WAIT);
            assertThat(rows(pipeline.readModel(fragile), "", "~")).isEqualTo(expectedCounts(store));
        }
    }

    @Test
    void parkedEventsSurviveARestartAndCanBeRetriedWithoutStartingThePipeline() {
        Projection<String, Long> fragile = poisonable("fragile", poisoned);
        appendWithPoisonAt100();
        ProjectionOptions park = ProjectionOptions.defaults().withPoisonPolicy(PoisonPolicy.PARK).withPartitions(2);
        try (ProjectionPipeline pipeline = builder().add(fragile, park).open()) {
            pipeline.start();
            pipeline.awaitPosition("fragile", store.headPosition(), WAIT);
        }
        try (ProjectionPipeline pipeline = builder().add(fragile, park).open()) {
            // Still parked after the restart, and the key keeps being parked while events arrive.
            pipeline.start();
            AppendResult more = store.append("p-1", ExpectedVersion.any(), event("Counted", 7));
            pipeline.awaitPosition("fragile", more.lastPosition(), WAIT);
            assertThat(pipeline.parked("fragile", 100)).hasSize(27);
        }
        poisoned.set(false);
        try (ProjectionPipeline pipeline = builder().add(fragile, park).open()) {
            assertThat(pipeline.status("fragile").state()).isEqualTo(ProjectionState.IDLE);
            assertThat(pipeline.retryParked("fragile")).isEqualTo(new RetryResult(27, 0));
            Map<String, Long> counts = new TreeMap<>(rows(pipeline.readModel(fragile), "", "~"));
            assertThat(counts).isEqualTo(expectedCounts(store));
        }
    }

    @Test
    void anEventTheDecoderCannotReadIsPoisonForEveryProjection() {
        store.append("bad-1", ExpectedVersion.any(), dev.strata.eventstore.EventData.json("Broken", "{not json"));
        Projection<String, Long> counts = countPerStream("counts");
        try (ProjectionPipeline pipeline = builder().add(counts).open()) {
            pipeline.start();
            await().atMost(WAIT).until(() -> pipeline.status("counts").state() == ProjectionState.STOPPED);
            assertThat(pipeline.status("counts").failure().orElseThrow().error()).contains("event.data").contains("must be JSON");
        }
    }
}
