package dev.strata.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.eventstore.Durability;
import dev.strata.eventstore.EventData;
import dev.strata.eventstore.EventStore;
import dev.strata.eventstore.ExpectedVersion;
import dev.strata.projections.ProjectionPipeline;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ProjectionCommandsTest {

    @TempDir
    Path data;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @BeforeEach
    void fillStore() {
        TestProjectionProvider.POISONED.set(true);
        try (EventStore store = EventStore.builder().directory(data).durability(Durability.OS).open()) {
            for (int i = 0; i < 300; i++) {
                store.append("s-" + (i % 3), ExpectedVersion.any(), EventData.json("Counted", "{}"));
            }
            store.append("s-1", ExpectedVersion.any(), EventData.json("Poison", "{}"));
            store.append("s-1", ExpectedVersion.any(), EventData.json("Counted", "{}"));
        }
    }

    private int run(String... args) {
        CommandLine commandLine = Strata.commandLine();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        return commandLine.execute(args);
    }

    private long count(String projection, String key) {
        try (EventStore store = EventStore.open(data);
             ProjectionPipeline pipeline = ProjectionTool.open(store, data.resolve("projections"))) {
            return pipeline.readModel(projection.equals("counts") ? TestProjectionProvider.COUNTS : TestProjectionProvider.PICKY)
                    .get(key).orElse(0L);
        }
    }

    @Test
    void replayRebuildsWithPlainProgressLinesAndVerifies() {
        assertThat(run("replay", "--data", data.toString(), "--projection", "counts")).as(err.toString()).isZero();
        assertThat(out.toString())
                .contains("replay counts generation 2: position")
                .contains("replayed counts into generation 2: 302 events (positions 0..301)")
                .doesNotContain("\r");
        assertThat(count("counts", "s-1")).isEqualTo(102);

        out.getBuffer().setLength(0);
        assertThat(run("replay", "--data", data.toString(), "--projection", "counts", "--verify")).as(err.toString()).isZero();
        assertThat(out.toString()).contains("verify: counts generation 2 vs 3 at position 301: 3 rows compared, 0 differences")
                .contains("generation 3 serves now");

        out.getBuffer().setLength(0);
        assertThat(run("replay", "--data", data.toString(), "--projection", "counts", "--generation", "7", "--from", "150")).isZero();
        assertThat(count("counts", "s-1")).isEqualTo(52);
    }

    @Test
    void failuresAreOneLineAndExitNonZero() {
        assertThat(run("replay", "--data", data.toString(), "--projection", "nope")).isEqualTo(1);
        assertThat(err.toString().strip()).startsWith("strata replay: projection must name a registered projection [counts, picky]")
                .doesNotContain("\n");
        err.getBuffer().setLength(0);
        assertThat(run("replay", "--data", data.toString(), "--projection", "counts", "--generation", "0")).isEqualTo(1);
        assertThat(err.toString().strip()).contains("generation must be >= 1").doesNotContain("\n");
        err.getBuffer().setLength(0);
        assertThat(run("replay", "--data", data.toString())).isEqualTo(2);
        assertThat(err.toString()).contains("--projection");
    }

    @Test
    void parkedEventsAreListedAndRetried() {
        assertThat(run("replay", "--data", data.toString(), "--projection", "picky")).as(err.toString()).isZero();
        assertThat(out.toString()).contains("2 parked");
        out.getBuffer().setLength(0);

        assertThat(run("projections", "parked", "--data", data.toString(), "--projection", "picky")).isZero();
        assertThat(out.toString()).contains("2 parked events of picky (generation 2)")
                .contains("key s-1  position 300  Poison s-1").contains("poison in s-1")
                .contains("key s-1  position 301  Counted s-1");
        out.getBuffer().setLength(0);

        assertThat(run("projections", "retry", "--data", data.toString(), "--projection", "picky")).isEqualTo(1);
        assertThat(err.toString()).contains("2 events of picky are still parked");
        TestProjectionProvider.POISONED.set(false);
        assertThat(run("projections", "retry", "--data", data.toString(), "--projection", "picky", "--key", "s-1")).isZero();
        assertThat(out.toString()).contains("2 applied, 0 still parked");
        assertThat(count("picky", "s-1")).isEqualTo(102);

        out.getBuffer().setLength(0);
        assertThat(run("projections", "status", "--data", data.toString())).isZero();
        assertThat(out.toString()).containsPattern("picky\\s+2\\s+301\\s+301\\s+0\\s+0")
                .containsPattern("counts\\s+1\\s+-1\\s+301\\s+302\\s+0");
    }
}
