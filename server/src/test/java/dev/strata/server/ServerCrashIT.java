package dev.strata.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.strata.eventstore.Durability;
import dev.strata.eventstore.testkit.ChildJvm;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 of the server process while four clients append over HTTP, three times (FSYNC, OS, FSYNC). After each
 * restart every append answered 201 before the kill is there, with its events at the versions and positions the
 * answer gave; positions are dense; and a retry of each append that got no answer is safe: it is stored exactly once.
 */
class ServerCrashIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int CLIENTS = 4;

    @TempDir
    Path directory;

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();

    /** An append and, if it was answered 201, the answer. */
    record Append(String stream, List<UUID> ids, String body, JsonNode result) {
    }

    @Test
    void everyAppendAnswered201BeforeAKillIsThereAfterTheRestart() throws Exception {
        Path store = directory.resolve("store");
        Random random = new Random(8);
        List<Append> acknowledged = Collections.synchronizedList(new ArrayList<>());
        Durability[] modes = {Durability.FSYNC, Durability.OS, Durability.FSYNC};
        ChildJvm child = start(store, modes[0], 0);
        int port = ready(child, 0);
        try {
            for (int cycle = 0; cycle < modes.length; cycle++) {
                List<Append> unanswered = Collections.synchronizedList(new ArrayList<>());
                AtomicBoolean running = new AtomicBoolean(true);
                List<Thread> clients = new ArrayList<>();
                int cycleAcks = acknowledged.size();
                for (int c = 0; c < CLIENTS; c++) {
                    int client = c;
                    int currentPort = port;
                    long seed = random.nextLong();
                    Thread thread = new Thread(() -> load(currentPort, client, seed, running, acknowledged, unanswered), "client-" + c);
                    thread.start();
                    clients.add(thread);
                }
                long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (acknowledged.size() - cycleAcks < 200 && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                }
                assertThat(acknowledged.size() - cycleAcks).as("cycle %d: appends answered before the kill", cycle).isGreaterThan(50);
                Thread.sleep(random.nextInt(300));
                child.kill();
                running.set(false);
                for (Thread thread : clients) {
                    thread.join(30_000);
                }
                Durability next = modes[(cycle + 1) % modes.length];
                child = start(store, next, cycle + 1);
                port = ready(child, cycle + 1);
                verify(port, acknowledged, cycle);
                retry(port, unanswered, acknowledged);
                verify(port, acknowledged, cycle);
            }
        } finally {
            child.close();
        }
    }

    private ChildJvm start(Path store, Durability durability, int cycle) {
        return ChildJvm.start(ServerChild.class, directory.resolve("child-" + cycle + ".err"), store.toString(), durability.name());
    }

    private static int ready(ChildJvm child, int cycle) throws InterruptedException {
        String line = child.nextLine(Duration.ofSeconds(90));
        assertThat(line).as("server %d started (stderr in child-%d.err)", cycle, cycle).startsWith("READY ");
        return Integer.parseInt(line.substring("READY ".length()));
    }

    /** One client: appends of 1 to 4 events to its own streams, one at a time, until stopped or the server dies. */
    private void load(int port, int client, long seed, AtomicBoolean running, List<Append> acknowledged, List<Append> unanswered) {
        Random random = new Random(seed);
        while (running.get()) {
            String stream = "crash-" + client + "-" + random.nextInt(20);
            List<UUID> ids = IntStream.range(0, 1 + random.nextInt(4)).mapToObj(i -> UUID.randomUUID()).toList();
            String body = "[" + String.join(",", ids.stream().map(id -> "{\"specversion\":\"1.0\",\"id\":\"" + id
                    + "\",\"source\":\"/crash\",\"type\":\"Crashed\",\"data\":{\"client\":" + client + "}}").toList()) + "]";
            try {
                HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/streams/" + stream))
                        .header("Content-Type", "application/cloudevents-batch+json")
                        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
                acknowledged.add(new Append(stream, ids, body, JSON.readTree(response.body())));
            } catch (IOException e) {
                unanswered.add(new Append(stream, ids, body, null)); // the kill: stored or not, nobody was told
                return;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void verify(int port, List<Append> acknowledged, int cycle) throws Exception {
        long head = Long.parseLong(http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/all"))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding())
                .headers().firstValue("Strata-Position").orElseThrow());
        List<Long> positions = new ArrayList<>();
        for (long from = 0; from <= head; ) {
            JsonNode page = get(port, "/all?from=" + from + "&limit=10000");
            page.forEach(event -> positions.add(Long.parseLong(event.get("position").asText())));
            from = positions.isEmpty() ? head + 1 : positions.get(positions.size() - 1) + 1;
        }
        assertThat(positions).as("cycle %d: positions dense from 0", cycle)
                .containsExactlyElementsOf(IntStream.rangeClosed(0, (int) head).mapToObj(i -> (long) i).toList());
        for (Append append : List.copyOf(acknowledged)) {
            long first = append.result().get("firstVersion").asLong();
            JsonNode events = get(port, "/streams/" + append.stream() + "?from=" + first + "&limit=" + append.ids().size());
            assertThat(events).as("cycle %d: the acknowledged append to %s at %d", cycle, append.stream(), first).hasSize(append.ids().size());
            for (int i = 0; i < events.size(); i++) {
                JsonNode event = events.get(i);
                assertThat(event.get("id").asText()).isEqualTo(append.ids().get(i).toString());
                assertThat(Long.parseLong(event.get("position").asText())).isEqualTo(append.result().get("firstPosition").asLong() + i);
            }
        }
    }

    /** An append that got no answer is retried with the same ids: stored once, whether the first try made it or not. */
    private void retry(int port, List<Append> unanswered, List<Append> acknowledged) throws Exception {
        for (Append append : unanswered) {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/streams/" + append.stream()))
                    .header("Content-Type", "application/cloudevents-batch+json")
                    .POST(HttpRequest.BodyPublishers.ofString(append.body())).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as(response.body()).isIn(200, 201);
            acknowledged.add(new Append(append.stream(), append.ids(), append.body(), JSON.readTree(response.body())));
        }
        for (Append append : unanswered) {
            String id = append.ids().get(0).toString();
            long copies = 0;
            for (JsonNode event : get(port, "/streams/" + append.stream() + "?limit=10000")) {
                copies += event.get("id").asText().equals(id) ? 1 : 0;
            }
            assertThat(copies).as("the retried append to %s is stored once", append.stream()).isEqualTo(1);
        }
    }

    private JsonNode get(int port, String path) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }
}
