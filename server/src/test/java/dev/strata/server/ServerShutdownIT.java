package dev.strata.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.strata.cli.Strata;
import dev.strata.eventstore.EventStore;
import dev.strata.eventstore.testkit.ChildJvm;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code strata server} in a child JVM, stopped with SIGTERM under load: one ready line (address, data folder,
 * durability), then a graceful stop: subscriptions end cleanly, every request gets a real answer (201, or 503 once the
 * stop has begun) or finds the port closed, and every 201 is in the store, which opens cleanly afterwards.
 */
class ServerShutdownIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path directory;

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();

    @Test
    void sigtermStopsGracefully() throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        Path data = directory.resolve("data");
        Path stderr = directory.resolve("server.err");
        URI base = URI.create("http://127.0.0.1:" + port);
        try (ChildJvm child = ChildJvm.start(Strata.class, stderr, "server", "--data", data.toString(), "--port",
                Integer.toString(port), "--durability", "os")) {
            Awaitility.await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
                    .until(() -> http.send(HttpRequest.newBuilder(base.resolve("/health")).build(),
                            HttpResponse.BodyHandlers.discarding()).statusCode() == 200);
            assertThat(Files.readString(stderr)).contains("Strata server ready on http://127.0.0.1:" + port)
                    .contains("data " + data.toAbsolutePath()).contains("durability OS");

            SseReader sse = SseReader.open(base.resolve("/all"));
            sse.awaitComment("live", Duration.ofSeconds(20));
            List<String> acknowledged = Collections.synchronizedList(new ArrayList<>());
            List<Integer> statuses = Collections.synchronizedList(new ArrayList<>());
            AtomicBoolean running = new AtomicBoolean(true);
            List<Thread> clients = new ArrayList<>();
            for (int c = 0; c < 4; c++) {
                Thread thread = new Thread(() -> {
                    while (running.get()) {
                        String id = UUID.randomUUID().toString();
                        try {
                            HttpResponse<String> response = http.send(HttpRequest.newBuilder(base.resolve("/streams/stop-" + id.charAt(0)))
                                    .header("Content-Type", "application/cloudevents+json")
                                    .POST(HttpRequest.BodyPublishers.ofString("{\"specversion\":\"1.0\",\"id\":\"" + id
                                            + "\",\"source\":\"/t\",\"type\":\"T\"}")).build(), HttpResponse.BodyHandlers.ofString());
                            statuses.add(response.statusCode());
                            if (response.statusCode() == 201) {
                                acknowledged.add(id);
                            }
                        } catch (IOException e) {
                            return; // the listener is closed: the stop has begun
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                });
                thread.start();
                clients.add(thread);
            }
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> acknowledged.size() > 100);

            ProcessHandle.of(child.pid()).orElseThrow().destroy(); // SIGTERM
            int exit = child.waitFor(Duration.ofSeconds(30));
            running.set(false);
            for (Thread thread : clients) {
                thread.join(10_000);
            }

            assertThat(exit).as("the JVM's exit code after SIGTERM").isEqualTo(143);
            assertThat(Files.readString(stderr)).contains("Strata server stopped").doesNotContain("ERROR").doesNotContain("Exception");
            sse.ended().get(10, TimeUnit.SECONDS);
            assertThat(statuses).as("every answer is an acknowledgement or a refusal to start").allMatch(s -> s == 201 || s == 503);
            try (EventStore store = EventStore.open(data)) {
                List<String> stored = store.readAll(0, 1_000_000).map(e -> e.id().toString()).toList();
                assertThat(stored).containsAll(acknowledged);
                assertThat(stored).hasSizeGreaterThanOrEqualTo(acknowledged.size());
            }
            assertThat(JSON).isNotNull();
        }
    }
}
