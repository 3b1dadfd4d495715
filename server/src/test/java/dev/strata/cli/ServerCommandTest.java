package dev.strata.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** strata server refuses bad settings with exit 1 and one line that names the setting, before opening anything. */
class ServerCommandTest {

    @TempDir
    Path temp;

    record Run(int exit, String err) {
    }

    private static Run run(String... args) {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        CommandLine commandLine = Strata.commandLine();
        commandLine.setErr(new PrintWriter(err, true, StandardCharsets.UTF_8));
        int exit = commandLine.execute(args);
        return new Run(exit, err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void aNonLoopbackAddressWithoutTokensIsRefused() {
        Run run = run("server", "--data", temp.resolve("data").toString(), "--bind", "0.0.0.0", "--port", "0");
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.err()).startsWith("strata server: bind must be a loopback address").contains("--auth").hasLineCount(1);
        assertThat(temp.resolve("data")).doesNotExist();
    }

    @Test
    void badOptionsAreOneLineErrors() throws Exception {
        assertThat(run("server", "--data", temp.toString(), "--durability", "sometimes").err())
                .contains("--durability must be fsync or os").hasLineCount(1);
        assertThat(run("server", "--data", temp.toString(), "--auth", temp.resolve("missing").toString()).err())
                .contains("auth file").contains("readable").hasLineCount(1);
        Path tokens = temp.resolve("tokens");
        Files.writeString(tokens, "ci s3cr3t read:*\n");
        Run weak = run("server", "--data", temp.toString(), "--auth", tokens.toString());
        assertThat(weak.exit()).isEqualTo(1);
        assertThat(weak.err()).contains("line 1").doesNotContain("s3cr3t");
        assertThat(run("server", "--data", temp.toString(), "--rate-burst", "5").err()).contains("needs --rate-limit");
        assertThat(run("server", "--data", temp.toString(), "--rate-limit", "-1").err()).contains("rateLimit.perSecond");
        assertThat(run("server", "--data", temp.toString(), "--port", "70000").err()).contains("port must be");
        assertThat(run("server", "--port", "x").exit()).isEqualTo(2);
    }
}
