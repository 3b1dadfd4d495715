package dev.strata.projections;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.strata.eventstore.Durability;
import dev.strata.eventstore.EventStore;
import dev.strata.eventstore.RecordedEvent;
import dev.strata.eventstore.testkit.ChildJvm;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Exactly once across kill -9: a child JVM appends and projects until it is killed, again and again (once in the
 * middle of a rebuild); afterwards every read model equals the one a clean run over the same log produces, and the
 * read-modify-write totals equal what the log says (an event applied twice or skipped would show in them).
 */
class ProjectionCrashIT {

    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    @Test
    void readModelsEqualACleanRunAfterRepeatedKills() throws Exception {
        Path storeDir = dir.resolve("store");
        Path readModels = dir.resolve("read-models");
        Random random = new Random(42);
        int kills = 5;
        for (int cycle = 0; cycle < kills; cycle++) {
            String mode = cycle == 3 ? "rebuild" : "plain";
            try (ChildJvm child = ChildJvm.start(CrashChild.class, dir.resolve("child-" + cycle + ".err"),
                    storeDir.toString(), readModels.toString(), Long.toString(cycle), mode)) {
                String line;
                do {
                    line = child.nextLine(WAIT);
                    if (line == null) {
                        throw new AssertionError("child " + cycle + " did not start: " + stderr(dir.resolve("child-" + cycle + ".err")));
                    }
                } while (!line.startsWith("started"));
                // Let it run a while, so the kill lands among appends and commits.
                int appendedLines = 2 + random.nextInt(12);
                for (int i = 0; i < appendedLines; i++) {
                    assertThat(child.nextLine(WAIT)).isNotNull();
                }
                child.kill();
            }
        }

        try (EventStore store = EventStore.builder().directory(storeDir).durability(Durability.OS).open()) {
            long head = store.headPosition();
            assertThat(head).isGreaterThan(500);
            Map<String, Map<String, Object>> recovered;
            Map<String, Map<String, Object>> clean;
            try (ProjectionPipeline pipeline = CrashChild.projections(store, readModels).open()) {
                pipeline.start();
                recovered = snapshot(pipeline, head);
            }
            try (ProjectionPipeline pipeline = CrashChild.projections(store, dir.resolve("clean")).open()) {
                pipeline.start();
                clean = snapshot(pipeline, head);
            }
            assertThat(recovered).isEqualTo(clean);

            List<RecordedEvent> log = TestProjections.readAll(store);
            long sum = log.stream().mapToLong(event -> TestProjections.decodeN(event)).sum();
            assertThat(recovered.get("totals")).containsEntry("count", (long) log.size()).containsEntry("sum", sum);
            assertThat(recovered.get("counts")).isEqualTo(Map.copyOf(TestProjections.expectedCounts(store)));
        }
    }

    private static String stderr(Path file) throws java.io.IOException {
        List<String> lines = java.nio.file.Files.readAllLines(file);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Map<String, Object>> snapshot(ProjectionPipeline pipeline, long head) {
        Map<String, Map<String, Object>> all = new java.util.TreeMap<>();
        for (Projection<String, ?> projection : List.of(TestProjections.countPerStream("counts"), TestProjections.totals("totals"),
                TestProjections.lastEvent("last"))) {
            pipeline.awaitPosition(projection.name(), head, WAIT);
            all.put(projection.name(), (Map<String, Object>) (Map<String, ?>) Map.copyOf(
                    TestProjections.rows(pipeline.readModel((Projection<String, Object>) projection), "", "~")));
        }
        return all;
    }

}
