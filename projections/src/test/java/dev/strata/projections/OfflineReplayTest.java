package dev.strata.projections;

import static dev.strata.projections.TestProjections.append;
import static dev.strata.projections.TestProjections.countPerStream;
import static dev.strata.projections.TestProjections.expectedCounts;
import static dev.strata.projections.TestProjections.poisonable;
import static dev.strata.projections.TestProjections.rows;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.strata.eventstore.Durability;
import dev.strata.eventstore.EventStore;
import dev.strata.eventstore.ExpectedVersion;
import dev.strata.eventstore.ValidationException;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OfflineReplayTest {

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
    void replaysIntoTheNextGenerationWithSideEffectsSuppressedAndSwitches() {
        List<Long> effects = Collections.synchronizedList(new ArrayList<>());
        Projection<String, Long> counts = Projection.of("counts", KeyCodec.string(), ValueCodec.int64(), (event, model) -> {
            model.put(event.stream(), model.get(event.stream()).orElse(0L) + 1);
            model.sideEffect(() -> effects.add(event.position()));
        });
        append(store, "c", 9, 5000, 0);
        List<ReplayProgress> progress = Collections.synchronizedList(new ArrayList<>());
        try (ProjectionPipeline pipeline = builder().add(counts, ProjectionOptions.defaults().withPartitions(2)).open()) {
            ReplayResult result = pipeline.replay(ReplayRequest.of("counts"), progress::add);
            assertThat(result.generation()).isEqualTo(2);
            assertThat(result.previousGeneration()).hasValue(1);
            assertThat(result.switched()).isTrue();
            assertThat(result.events()).isEqualTo(5000);
            assertThat(result.position()).isEqualTo(4999);
            assertThat(effects).isEmpty();
            assertThat(progress).isNotEmpty();
            assertThat(progress.get(progress.size() - 1).fraction()).isEqualTo(1.0);
            assertThat(pipeline.status("counts").generation()).isEqualTo(2);
            assertThat(rows(pipeline.readModel(counts), "", "~")).isEqualTo(expectedCounts(store));
            assertThatThrownBy(() -> pipeline.replay(new ReplayRequest("counts", OptionalLong.of(2), OptionalLong.empty(), false), null))
                    .isInstanceOf(ValidationException.class).hasMessageContaining("greater than the serving generation 2");
            pipeline.start();
            assertThatThrownBy(() -> pipeline.replay(ReplayRequest.of("counts"), null))
                    .isInstanceOf(ProjectionStateException.class).hasMessageContaining("rebuild()");
            store.append("c-1", ExpectedVersion.any(), TestProjections.event("E", 1));
            pipeline.awaitPosition("counts", store.headPosition(), Duration.ofSeconds(20));
            assertThat(effects).containsExactly(store.headPosition()); // live again: effects run
        }
    }

    @Test
    void verifyComparesAtTheOldCheckpointAndRefusesToSwitchOnDifferences() {
        Projection<String, Long> counts = countPerStream("counts");
        append(store, "c", 5, 1000, 0);
        try (ProjectionPipeline pipeline = builder().add(counts).open()) {
            pipeline.start();
            pipeline.awaitPosition("counts", store.headPosition(), Duration.ofSeconds(20));
        }
        append(store, "c", 5, 500, 1000); // the serving generation is behind by these: verification is at its checkpoint
        try (ProjectionPipeline pipeline = builder().add(counts).open()) {
            ReplayResult same = pipeline.replay(new ReplayRequest("counts", OptionalLong.empty(), OptionalLong.empty(), true), null);
            assertThat(same.comparison().orElseThrow().identical()).isTrue();
            assertThat(same.comparison().orElseThrow().position()).isEqualTo(999);
            assertThat(same.switched()).isTrue();
            assertThat(rows(pipeline.readModel(counts), "", "~")).isEqualTo(expectedCounts(store));
        }
        // A handler whose output changed: verification finds it and keeps the serving generation.
        Projection<String, Long> changed = Projection.of("counts", KeyCodec.string(), ValueCodec.int64(),
                (event, model) -> model.put(event.stream(), model.get(event.stream()).orElse(0L) + 2));
        try (ProjectionPipeline pipeline = builder().add(changed).open()) {
            ReplayResult different = pipeline.replay(new ReplayRequest("counts", OptionalLong.empty(), OptionalLong.empty(), true), null);
            ComparisonReport report = different.comparison().orElseThrow();
            assertThat(report.changed()).isEqualTo(5);
            assertThat(different.switched()).isFalse();
            assertThat(pipeline.status("counts").generation()).isEqualTo(2);
            assertThat(pipeline.readModel(changed).get("c-0")).contains(300L);
        }
    }

    @Test
    void aReplayStoppedByAPoisonEventGoesOnFromItsCheckpointOnceFixed() {
        AtomicBoolean poisoned = new AtomicBoolean(true);
        Projection<String, Long> fragile = poisonable("fragile", poisoned);
        append(store, "f", 3, 300, 0);
        long poison = store.append("f-1", ExpectedVersion.any(), TestProjections.event("Poison", 0)).lastPosition();
        append(store, "f", 3, 300, 300);
        try (ProjectionPipeline pipeline = builder().add(fragile).open()) {
            assertThatThrownBy(() -> pipeline.replay(ReplayRequest.of("fragile"), null))
                    .isInstanceOf(ProjectionStoppedException.class)
                    .hasMessageContaining("position " + poison);
            assertThat(pipeline.status("fragile").generation()).isEqualTo(1);
            assertThat(pipeline.status("fragile").rebuild().orElseThrow().checkpoint()).isEqualTo(poison - 1);
        }
        poisoned.set(false);
        try (ProjectionPipeline pipeline = builder().add(fragile).open()) {
            ReplayResult result = pipeline.replay(new ReplayRequest("fragile", OptionalLong.of(2), OptionalLong.empty(), false), null);
            assertThat(result.from()).isEqualTo(poison);
            assertThat(result.switched()).isTrue();
            assertThat(rows(pipeline.readModel(fragile), "", "~")).isEqualTo(expectedCounts(store));
        }
    }

    @Test
    void replayFromAPositionSkipsWhatComesBefore() {
        Projection<String, Long> counts = countPerStream("counts");
        append(store, "c", 2, 100, 0);
        try (ProjectionPipeline pipeline = builder().add(counts).open()) {
            ReplayResult result = pipeline.replay(new ReplayRequest("counts", OptionalLong.of(5), OptionalLong.of(60), false), null);
            assertThat(result.generation()).isEqualTo(5);
            assertThat(result.events()).isEqualTo(40);
            assertThat(pipeline.readModel(counts).get("c-0")).contains(20L);
        }
    }
}
