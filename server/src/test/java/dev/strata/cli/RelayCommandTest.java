package dev.strata.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.strata.eventstore.Durability;
import dev.strata.eventstore.EventData;
import dev.strata.eventstore.EventStore;
import dev.strata.eventstore.ExpectedVersion;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code strata relay run} against a real local webhook. */
class RelayCommandTest {

    @TempDir
    Path temp;

    Path data;
    HttpServer webhook;
    final List<String> received = new CopyOnWriteArrayList<>();

    @BeforeEach
    void setUp() throws Exception {
        data = temp.resolve("data");
        try (EventStore store = EventStore.builder().directory(data).durability(Durability.OS).open()) {
            for (int i = 0; i < 20; i++) {
                store.append("order-" + (i % 4), ExpectedVersion.any(), EventData.json("Placed", "{\"i\":" + i + "}"));
            }
        }
        webhook = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        webhook.createContext("/hook", exchange -> {
            received.add(exchange.getRequestHeaders().getFirst("ce-subject") + "@" + exchange.getRequestHeaders().getFirst("ce-streamversion"));
            exchange.getRequestBody().readAllBytes();
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        webhook.start();
    }

    @AfterEach
    void tearDown() {
        webhook.stop(0);
    }

    record Run(int exit, String out, String err) {
    }

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine commandLine = Strata.commandLine();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        int exit = commandLine.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    private Path config(String text) throws Exception {
        Path file = temp.resolve("relay.properties");
        Files.writeString(file, text);
        return file;
    }

    @Test
    void runsARelayFromAConfigFileUntilCaughtUpAndResumesFromItsCheckpoint() throws Exception {
        Path config = config("""
                name = webhook
                sink = http
                categories = order
                http.url = http://127.0.0.1:%d/hook
                http.header.Authorization = Bearer abc
                """.formatted(webhook.getAddress().getPort()));
        Run first = run("relay", "run", "--data", data.toString(), "--config", config.toString(), "--until-caught-up", "--status-every", "0");
        assertThat(first.exit()).as(first.err()).isZero();
        assertThat(first.out()).contains("relay webhook: publishing store data from position 0 (head 19)", "caught up at position 19, 20 published");
        assertThat(received).hasSize(20).contains("order-0@0", "order-3@4");
        assertThat(data.resolve("relays").resolve("webhook.checkpoint")).exists();

        try (EventStore store = EventStore.builder().directory(data).durability(Durability.OS).open()) {
            store.append("order-9", ExpectedVersion.any(), EventData.json("Placed", "{}"));
        }
        Run second = run("relay", "run", "--data", data.toString(), "--config", config.toString(), "--until-caught-up", "--status-every", "0");
        assertThat(second.exit()).as(second.err()).isZero();
        assertThat(second.out()).contains("from position 20 (head 20)", "1 published");
        assertThat(received).hasSize(21).endsWith("order-9@0");
    }

    @Test
    void aBadConfigFileIsAOneLineErrorNamingTheSetting() throws Exception {
        Path config = config("""
                name = webhook
                sink = http
                http.uri = http://127.0.0.1:1/hook
                """);
        Run run = run("relay", "run", "--data", data.toString(), "--config", config.toString());
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.err().strip()).startsWith("strata run: config key must be one of").contains("but was 'http.uri'")
                .doesNotContain("\n");
        Run missing = run("relay", "run", "--data", data.toString(), "--config", temp.resolve("nope.properties").toString());
        assertThat(missing.exit()).isEqualTo(1);
        assertThat(missing.err()).contains("must be a readable properties file");
        assertThat(run("relay", "run", "--data", data.toString()).exit()).isEqualTo(2); // --config is required
    }
}
