package dev.strata.projections;

import static dev.strata.projections.TestProjections.append;
import static dev.strata.projections.TestProjections.countPerStream;
import static dev.strata.projections.TestProjections.expectedCounts;
import static dev.strata.projections.TestProjections.rows;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.strata.eventstore.AppendResult;
import dev.strata.eventstore.Durability;
import dev.strata.eventstore.EventStore;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RebuildWhileServingTest {

    private static final Duration WAIT = Duration.ofSeconds(60);

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

    /**
     * Readers query without pause while events keep arriving and the projection is rebuilt: every answer comes from
     * generation 1 until the switch and from generation 2 after it, counts never go backwards, and no query fails.
     */
    @Test
    void readsKeepAnsweringFromTheOldGenerationUntilTheSwitchThenFromTheNewOne() throws Exception {
        List<Long> effects = Collections.synchronizedList(new ArrayList<>());
        Projection<String, Long> counts = Projection.of("counts", KeyCodec.string(), ValueCodec.int64(), (event, model) -> {
            model.put(event.stream(), model.get(event.stream()).orElse(0L) + 1);
            model.sideEffect(() -> effects.add(event.position()));
        });
        append(store, "acct", 20, 20_000, 0);
        try (ProjectionPipeline pipeline = builder().add(counts, ProjectionOptions.defaults().withPartitions(2)).open()) {
            pipeline.start();
            pipeline.awaitPosition("counts", store.headPosition(), WAIT);
            ReadModel<String, Long> model = pipeline.readModel(counts);

            AtomicBoolean running = new AtomicBoolean(true);
            AtomicReference<Throwable> failure = new AtomicReference<>();
            AtomicLong queries = new AtomicLong();
            Map<Long, AtomicLong> answersByGeneration = new ConcurrentHashMap<>();
            AtomicBoolean switched = new AtomicBoolean();
            AtomicBoolean sawOldAfterSwitch = new AtomicBoolean();
            Thread writer = new Thread(() -> {
                long n = 100_000;
                while (running.get()) {
                    append(store, "acct", 20, 50, n);
                    n += 50;
                }
            });
            List<Thread> readers = new ArrayList<>();
            for (int r = 0; r < 2; r++) {
                readers.add(new Thread(() -> {
                    long last = 0;
                    try {
                        while (running.get()) {
                            boolean afterSwitch = switched.get();
                            long generation = model.generation();
                            long value = model.get("acct-7").orElseThrow();
                            if (afterSwitch && generation == 1) {
                                sawOldAfterSwitch.set(true);
                            }
                            if (value < last) {
                                throw new AssertionError("count went back from " + last + " to " + value);
                            }
                            last = value;
                            answersByGeneration.computeIfAbsent(generation, g -> new AtomicLong()).incrementAndGet();
                            queries.incrementAndGet();
                        }
                    } catch (Throwable t) {
                        failure.set(t);
                    }
                }));
            }
            writer.start();
            readers.forEach(Thread::start);

            Rebuild rebuild = pipeline.rebuild("counts");
            assertThat(rebuild.generation()).isEqualTo(2);
            assertThat(pipeline.rebuild("counts")).isSameAs(rebuild); // one at a time
            assertThat(pipeline.status("counts").rebuild()).isPresent();
            assertThat(model.generation()).isEqualTo(1);
            assertThatThrownBy(rebuild::switchOver).isInstanceOf(ProjectionStateException.class).hasMessageContaining("awaitCaughtUp");

            assertThat(rebuild.awaitCaughtUp(WAIT)).as("rebuild status %s", rebuild.status()).isTrue();
            assertThat(model.generation()).isEqualTo(1);
            ComparisonReport full = rebuild.compare(Comparison.full());
            assertThat(full.identical()).as(full.summary()).isTrue();
            assertThat(full.rowsCompared()).isEqualTo(20);
            ComparisonReport sampled = rebuild.compare(Comparison.sampled(0.5));
            assertThat(sampled.identical()).isTrue();
            assertThat(sampled.rowsCompared()).isBetween(1L, 19L);
            long effectsBeforeSwitch = effects.size();

            switched.set(true);
            rebuild.switchOver();
            long queriesAtSwitch = queries.get();
            while (queries.get() < queriesAtSwitch + 1000 && failure.get() == null) {
                Thread.onSpinWait();
            }
            running.set(false);
            writer.join();
            for (Thread reader : readers) {
                reader.join();
            }
            assertThat(failure.get()).isNull();
            assertThat(answersByGeneration.get(1L).get()).isPositive();
            assertThat(answersByGeneration.get(2L).get()).isPositive();
            assertThat(model.generation()).isEqualTo(2);
            assertThat(rebuild.status().phase()).isEqualTo(RebuildPhase.SWITCHED);
            assertThat(pipeline.status("counts").rebuild()).isEmpty();

            pipeline.awaitPosition("counts", store.headPosition(), WAIT);
            assertThat(rows(model, "", "~")).isEqualTo(expectedCounts(store));
            // Side effects ran once per live event, never for the replayed ones, before and after the switch.
            assertThat(effectsBeforeSwitch).isGreaterThan(20_000);
            assertThat(effects).doesNotHaveDuplicates().hasSize((int) store.headPosition() + 1);
        }
        assertThat(Path.of(dir.resolve("read-models").toString())).exists();
        try (ProjectionPipeline pipeline = builder().add(counts, ProjectionOptions.defaults().withPartitions(2)).open()) {
            assertThat(pipeline.status("counts").generation()).isEqualTo(2);
            assertThat(rows(pipeline.readModel(counts), "", "~")).isEqualTo(expectedCounts(store));
        }
    }

    @Test
    void aComparisonReportsTheRowsThatDiffer() {
        // The handler's output depends on the generation: what a code change does to a read model.
        Projection<String, Long> versioned = Projection.of("versioned", KeyCodec.string(), ValueCodec.int64(), (event, model) -> {
            if (model.generation() >= 2 && event.stream().equals("v-3")) {
                model.put(event.stream(), model.get(event.stream()).orElse(0L) + 10);
            } else if (model.generation() >= 2 && event.stream().equals("v-4")) {
                return;
            } else {
                model.put(event.stream(), model.get(event.stream()).orElse(0L) + 1);
            }
        });
        AppendResult tail = append(store, "v", 5, 500, 0);
        try (ProjectionPipeline pipeline = builder().add(versioned).open()) {
            pipeline.start();
            pipeline.awaitPosition("versioned", tail.lastPosition(), WAIT);
            Rebuild rebuild = pipeline.rebuild("versioned");
            assertThat(rebuild.awaitCaughtUp(WAIT)).isTrue();
            ComparisonReport report = rebuild.compare(Comparison.full());
            assertThat(report.changed()).isEqualTo(1);
            assertThat(report.onlyInOld()).isEqualTo(1);
            assertThat(report.onlyInNew()).isZero();
            assertThat(report.position()).isEqualTo(tail.lastPosition());
            assertThat(report.examples()).containsExactly(
                    new ComparisonReport.Difference("v-3", "100", "1000"),
                    new ComparisonReport.Difference("v-4", "100", null));
            assertThat(report.summary()).contains("2 differences");

            rebuild.cancel();
            assertThat(rebuild.status().phase()).isEqualTo(RebuildPhase.CANCELLED);
            assertThat(pipeline.status("versioned").rebuild()).isEmpty();
            assertThat(pipeline.readModel(versioned).get("v-3")).contains(100L);
            // The cancelled generation is gone (its number is free again).
            Rebuild again = pipeline.rebuild("versioned");
            assertThat(again.generation()).isEqualTo(2);
            assertThat(again.awaitCaughtUp(WAIT)).isTrue();
            again.switchOver();
            assertThat(pipeline.readModel(versioned).get("v-3")).contains(1000L);
            assertThat(pipeline.readModel(versioned).get("v-4")).isEmpty();
        }
    }

    @Test
    void aRebuildGoesOnAfterARestartAndABumpedGenerationRebuildsAndSwitchesByItself() {
        Projection<String, Long> counts = countPerStream("counts");
        append(store, "r", 10, 30_000, 0);
        try (ProjectionPipeline pipeline = builder().add(counts).open()) {
            pipeline.start();
            pipeline.awaitPosition("counts", store.headPosition(), WAIT);
            pipeline.rebuild("counts");
            // closed at once: the rebuild is somewhere in its backfill
        }
        append(store, "r", 10, 100, 30_000);
        try (ProjectionPipeline pipeline = builder().add(counts).open()) {
            pipeline.start();
            Rebuild rebuild = pipeline.rebuild("counts");
            assertThat(rebuild.generation()).isEqualTo(2);
            assertThat(rebuild.awaitCaughtUp(WAIT)).isTrue();
            assertThat(rebuild.compare(Comparison.full()).identical()).isTrue();
            rebuild.switchOver();
            assertThat(rows(pipeline.readModel(counts), "", "~")).isEqualTo(expectedCounts(store));
        }
        // The code now declares generation 3: the pipeline rebuilds into it and switches when caught up.
        Projection<String, Long> bumped = new Projection<>() {
            @Override
            public String name() {
                return "counts";
            }

            @Override
            public long generation() {
                return 3;
            }

            @Override
            public KeyCodec<String> keyCodec() {
                return KeyCodec.string();
            }

            @Override
            public ValueCodec<Long> valueCodec() {
                return ValueCodec.int64();
            }

            @Override
            public void handle(DecodedEvent event, ProjectionContext<String, Long> model) {
                model.put(event.stream(), model.get(event.stream()).orElse(0L) + 1);
            }
        };
        try (ProjectionPipeline pipeline = builder().add(bumped).open()) {
            pipeline.start();
            ReadModel<String, Long> model = pipeline.readModel(bumped);
            org.awaitility.Awaitility.await().atMost(WAIT).until(() -> model.generation() == 3);
            pipeline.awaitPosition("counts", store.headPosition(), WAIT);
            assertThat(rows(model, "", "~")).isEqualTo(expectedCounts(store));
        }
    }
}
