package dev.strata.bench.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.cli.Strata;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class BenchCommandTest {

    @Test
    void benchIsACommandOfStrataWithEveryWorkload() {
        CommandLine strata = Strata.commandLine();
        assertThat(strata.getSubcommands()).containsKey("bench");
        assertThat(strata.getSubcommands().get("bench").getSubcommands().keySet())
                .contains("all", "append", "read", "subscribe", "project", "report", "jmh");
    }

    @Test
    void badSettingsAreUsageErrorsNamingTheSetting() {
        CommandLine strata = Strata.commandLine();
        StringWriter err = new StringWriter();
        strata.setErr(new PrintWriter(err));
        assertThat(strata.execute("bench", "append", "--concurrency", "0")).isEqualTo(2);
        assertThat(err.toString()).contains("concurrency must be >= 1 but was 0");
        assertThat(strata.execute("bench", "append", "--target", "mongodb")).isEqualTo(2);
        assertThat(err.toString()).contains("target must be one of");
    }
}
