package dev.strata.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.strata.eventstore.Durability;
import dev.strata.eventstore.Metadata;
import dev.strata.eventstore.RecordedEvent;
import dev.strata.eventstore.remote.ProblemType;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The requests of DESIGN.md's table with their exact statuses, headers and bodies, against a real server. */
class HttpApiTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CE = "application/cloudevents+json";
    private static final String BATCH = "application/cloudevents-batch+json";
    private static final Pattern NEXT = Pattern.compile("<([^>]+)>; rel=\"next\"");

    @TempDir
    Path directory;

    private StrataServer server;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeEach
    void start() {
        server = StrataServer.builder().dataDirectory(directory.resolve("store")).port(0).durability(Durability.OS)
                .maxPageEvents(50).start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    static String event(UUID id, String type) {
        return "{\"specversion\":\"1.0\",\"id\":\"" + id + "\",\"source\":\"/test\",\"type\":\"" + type + "\",\"data\":{\"n\":1}}";
    }

    static String batch(int count) {
        return "[" + String.join(",", IntStream.range(0, count).mapToObj(i -> event(UUID.randomUUID(), "E" + i)).toList()) + "]";
    }

    private HttpResponse<String> post(String path, String type, String body, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(server.uri().resolve(path)).POST(HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", type);
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String path, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(server.uri().resolve(path)).GET();
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> head(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(server.uri().resolve(path)).method("HEAD", HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(HttpResponse<String> response) throws IOException {
        return JSON.readTree(response.body());
    }

    @Test
    void anAppendAnswers201WithTheResultTheETagAndThePosition() throws Exception {
        post("/streams/other-1", CE, event(UUID.randomUUID(), "Other"));

        HttpResponse<String> response = post("/streams/order-1", BATCH, batch(3));

        assertThat(response.statusCode()).isEqualTo(201);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(response.headers().firstValue("ETag")).hasValue("\"2\"");
        assertThat(response.headers().firstValue("Strata-Position")).hasValue("3");
        JsonNode result = json(response);
        assertThat(result.get("stream").asText()).isEqualTo("order-1");
        assertThat(result.get("firstVersion").isNumber()).isTrue();
        assertThat(List.of(result.get("firstVersion").asLong(), result.get("lastVersion").asLong(),
                result.get("firstPosition").asLong(), result.get("lastPosition").asLong())).containsExactly(0L, 2L, 1L, 3L);
    }

    @Test
    void preconditionsMapToExpectedVersions() throws Exception {
        assertThat(post("/streams/s-1", CE, event(UUID.randomUUID(), "A"), "If-Match", "*").statusCode())
                .as("If-Match * on a missing stream").isEqualTo(412);
        HttpResponse<String> missing = post("/streams/s-1", CE, event(UUID.randomUUID(), "A"), "If-Match", "\"0\"");
        assertThat(missing.statusCode()).isEqualTo(412);
        assertThat(missing.headers().firstValue("ETag")).as("no ETag for a stream that does not exist").isEmpty();
        assertThat(json(missing).get("actualVersion").asLong()).isEqualTo(-1);

        assertThat(post("/streams/s-1", CE, event(UUID.randomUUID(), "A"), "If-None-Match", "*").statusCode()).isEqualTo(201);
        HttpResponse<String> exists = post("/streams/s-1", CE, event(UUID.randomUUID(), "B"), "If-None-Match", "*");
        assertThat(exists.statusCode()).isEqualTo(412);
        assertThat(exists.headers().firstValue("Content-Type")).hasValue(ProblemType.MEDIA_TYPE);
        assertThat(exists.headers().firstValue("ETag")).hasValue("\"0\"");
        JsonNode problem = json(exists);
        assertThat(problem.get("type").asText()).isEqualTo(ProblemType.WRONG_EXPECTED_VERSION.uri());
        assertThat(problem.get("status").asInt()).isEqualTo(412);
        assertThat(problem.get("stream").asText()).isEqualTo("s-1");
        assertThat(problem.get("actualVersion").asLong()).isEqualTo(0);

        assertThat(post("/streams/s-1", CE, event(UUID.randomUUID(), "B"), "If-Match", "*").statusCode()).isEqualTo(201);
        assertThat(post("/streams/s-1", CE, event(UUID.randomUUID(), "C"), "If-Match", "\"0\"").statusCode()).isEqualTo(412);
        HttpResponse<String> exact = post("/streams/s-1", CE, event(UUID.randomUUID(), "C"), "If-Match", "\"1\"");
        assertThat(exact.statusCode()).isEqualTo(201);
        assertThat(exact.headers().firstValue("ETag")).hasValue("\"2\"");
        assertThat(post("/streams/s-1", CE, event(UUID.randomUUID(), "D")).statusCode()).as("no header: any version").isEqualTo(201);
        assertThat(server.store().streamVersion("s-1")).hasValue(3);
    }

    @Test
    void aRetryReturnsTheOriginalResultEvenWithAStalePrecondition() throws Exception {
        String body = batch(2);
        HttpResponse<String> first = post("/streams/s-1", BATCH, body, "If-None-Match", "*");
        post("/streams/s-1", CE, event(UUID.randomUUID(), "Later"));

        HttpResponse<String> retry = post("/streams/s-1", BATCH, body, "If-None-Match", "*");

        assertThat(retry.statusCode()).isIn(200, 201);
        assertThat(json(retry)).isEqualTo(json(first));
        assertThat(retry.headers().firstValue("ETag")).isEqualTo(first.headers().firstValue("ETag"));
        assertThat(server.store().headPosition()).isEqualTo(2);
    }

    @Test
    void anIdReusedElsewhereIs409AndWritesNothing() throws Exception {
        UUID id = UUID.randomUUID();
        post("/streams/s-1", CE, event(id, "A"));

        HttpResponse<String> response = post("/streams/s-2", CE, event(id, "A"));

        assertThat(response.statusCode()).isEqualTo(409);
        JsonNode problem = json(response);
        assertThat(problem.get("type").asText()).isEqualTo(ProblemType.DUPLICATE_EVENT_ID.uri());
        assertThat(problem.get("eventId").asText()).isEqualTo(id.toString());
        assertThat(problem.get("storedStream").asText()).isEqualTo("s-1");
        assertThat(server.store().streamVersion("s-2")).isEmpty();
    }

    @Test
    void readsAStreamWithETagsPagingBothWaysAndNotModified() throws Exception {
        post("/streams/s-1", BATCH, batch(7));
        post("/streams/t-1", BATCH, batch(2));

        assertThat(get("/streams/missing-1").statusCode()).isEqualTo(404);
        HttpResponse<String> page = get("/streams/s-1?from=1&limit=4");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type")).hasValue(BATCH);
        assertThat(page.headers().firstValue("ETag")).hasValue("\"6\"");
        assertThat(page.headers().firstValue("Strata-Position")).hasValue("8");
        JsonNode events = json(page);
        assertThat(events).hasSize(4);
        assertThat(events.get(0).get("streamversion").asText()).as("a string of digits").isEqualTo("1");
        assertThat(events.get(0).get("position").isTextual()).isTrue();
        assertThat(events.get(0).get("subject").asText()).isEqualTo("s-1");
        assertThat(events.get(0).get("time").asText()).isNotBlank();
        assertThat(next(page)).isEqualTo("/streams/s-1?from=5&limit=4&direction=forward");
        HttpResponse<String> last = get(next(page));
        assertThat(json(last)).hasSize(2);
        assertThat(last.headers().firstValue("Link")).as("no more after the end").isEmpty();

        HttpResponse<String> backward = get("/streams/s-1?direction=backward&limit=3");
        assertThat(versions(json(backward))).containsExactly(6L, 5L, 4L);
        assertThat(next(backward)).isEqualTo("/streams/s-1?from=3&limit=3&direction=backward");
        assertThat(versions(json(get("/streams/s-1?direction=backward&from=1")))).containsExactly(1L, 0L);

        HttpResponse<String> notModified = get("/streams/s-1", "If-None-Match", "\"6\"");
        assertThat(notModified.statusCode()).isEqualTo(304);
        assertThat(notModified.headers().firstValue("ETag")).hasValue("\"6\"");
        assertThat(get("/streams/s-1", "If-None-Match", "\"5\"").statusCode()).isEqualTo(200);

        HttpResponse<String> head = head("/streams/s-1");
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.headers().firstValue("ETag")).hasValue("\"6\"");
        assertThat(head("/streams/missing-1").statusCode()).isEqualTo(404);
    }

    @Test
    void aLimitAboveThePageCapIsCappedAndTheLinkGoesOn() throws Exception {
        for (int i = 0; i < 3; i++) {
            post("/streams/big-1", BATCH, batch(40));
        }
        HttpResponse<String> page = get("/streams/big-1?limit=1000000000");
        assertThat(json(page)).hasSize(50);
        assertThat(next(page)).isEqualTo("/streams/big-1?from=50&limit=50&direction=forward");
        HttpResponse<String> defaultLimit = get("/all");
        assertThat(json(defaultLimit)).hasSize(50);
    }

    @Test
    void readsTheLogAndACategoryFollowingLinksToTheEnd() throws Exception {
        for (int i = 0; i < 12; i++) {
            post("/streams/" + (i % 3 == 0 ? "order-" : "payment-") + i, BATCH, batch(5));
        }
        assertThat(follow("/all?limit=7")).containsExactlyElementsOf(IntStream.range(0, 60).mapToObj(i -> (long) i).toList());
        List<Long> orders = follow("/categories/order?limit=3");
        assertThat(orders).hasSize(20).isSorted();
        assertThat(follow("/categories/order?from=16&limit=100")).containsExactlyElementsOf(orders.stream().filter(p -> p >= 16).toList());
        assertThat(json(get("/all?from=60"))).isEmpty();
        assertThat(head("/all").headers().firstValue("Strata-Position")).hasValue("59");
        assertThat(json(get("/categories/shipping"))).isEmpty();
    }

    private List<Long> follow(String first) throws Exception {
        List<Long> positions = new ArrayList<>();
        String next = first;
        while (next != null) {
            HttpResponse<String> page = get(next);
            assertThat(page.statusCode()).isEqualTo(200);
            json(page).forEach(e -> positions.add(Long.parseLong(e.get("position").asText())));
            next = page.headers().firstValue("Link").isPresent() ? next(page) : null;
        }
        return positions;
    }

    private static String next(HttpResponse<String> page) {
        Matcher matcher = NEXT.matcher(page.headers().firstValue("Link").orElseThrow());
        assertThat(matcher.matches()).isTrue();
        return matcher.group(1);
    }

    private static List<Long> versions(JsonNode events) {
        List<Long> versions = new ArrayList<>();
        events.forEach(e -> versions.add(Long.parseLong(e.get("streamversion").asText())));
        return versions;
    }

    @Test
    void theTraceparentOfTheRequestIsKeptInTheEventsThatHaveNone() throws Exception {
        String requestTrace = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
        String ownTrace = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
        String own = "{\"specversion\":\"1.0\",\"id\":\"" + UUID.randomUUID() + "\",\"source\":\"/t\",\"type\":\"Own\",\"traceparent\":\""
                + ownTrace + "\"}";
        post("/streams/t-1", BATCH, "[" + event(UUID.randomUUID(), "Plain") + "," + own + "]",
                "traceparent", requestTrace, "tracestate", "vendor=1");
        post("/streams/t-1", CE, event(UUID.randomUUID(), "BadTrace"), "traceparent", "00-zz-not-valid");

        List<RecordedEvent> stored = server.store().readStream("t-1", 0, dev.strata.eventstore.Direction.FORWARD, 10).toList();
        assertThat(stored.get(0).metadata().traceparent()).hasValue(requestTrace);
        assertThat(stored.get(0).metadata().get(Metadata.TRACESTATE)).hasValue("vendor=1");
        assertThat(stored.get(1).metadata().traceparent()).as("the event's own trace wins").hasValue(ownTrace);
        assertThat(stored.get(2).metadata().traceparent()).as("an invalid header is ignored").isEmpty();
        assertThat(json(get("/streams/t-1")).get(0).get("traceparent").asText()).isEqualTo(requestTrace);
    }

    @Test
    void aSeveralStreamAppendIsAtomic() throws Exception {
        post("/streams/order-1", CE, event(UUID.randomUUID(), "Placed"));
        String body = "[{\"stream\":\"order-1\",\"expectedVersion\":0,\"events\":[" + event(UUID.randomUUID(), "Paid") + "]},"
                + "{\"stream\":\"payment-1\",\"expectedVersion\":\"no-stream\",\"events\":" + batch(2) + "}]";

        HttpResponse<String> response = post("/streams", "application/json", body);

        assertThat(response.statusCode()).isEqualTo(201);
        assertThat(response.headers().firstValue("Strata-Position")).hasValue("3");
        JsonNode results = json(response);
        assertThat(results.get(0).get("lastPosition").asLong()).isEqualTo(1);
        assertThat(results.get(1).get("stream").asText()).isEqualTo("payment-1");
        assertThat(results.get(1).get("lastVersion").asLong()).isEqualTo(1);

        String conflicting = "[{\"stream\":\"refund-1\",\"events\":" + batch(1) + "},"
                + "{\"stream\":\"order-1\",\"expectedVersion\":0,\"events\":" + batch(1) + "}]";
        HttpResponse<String> conflict = post("/streams", "application/json", conflicting);
        assertThat(conflict.statusCode()).isEqualTo(412);
        assertThat(json(conflict).get("stream").asText()).isEqualTo("order-1");
        assertThat(json(conflict).get("actualVersion").asLong()).isEqualTo(1);
        assertThat(server.store().streamVersion("refund-1")).isEmpty();
    }

    @Test
    void healthMetricsAndTheOpenApiDocumentAreServed() throws Exception {
        post("/streams/m-1", BATCH, batch(3));
        get("/streams/m-1");
        get("/streams/nope-1");

        HttpResponse<String> health = get("/health");
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(json(health).get("status").asText()).isEqualTo("UP");
        assertThat(json(health).get("store").asText()).isEqualTo("store");
        assertThat(json(health).get("headPosition").asLong()).isEqualTo(2);

        HttpResponse<String> metrics = get("/metrics");
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/plain");
        assertThat(metrics.body())
                .contains("strata_http_requests_seconds_count{method=\"POST\",route=\"append\",status=\"201\"} 1")
                .contains("strata_http_requests_seconds_count{method=\"GET\",route=\"read-stream\",status=\"404\"} 1")
                .contains("strata_http_requests_seconds_bucket{")
                .contains("strata_http_appended_events_total 3.0")
                .contains("strata_http_subscriptions_open 0.0")
                .contains("strata_http_subscriptions_lag_max")
                .contains("strata_store_head_position{store=\"store\"} 2.0")
                .contains("jvm_memory_used_bytes");

        HttpResponse<String> openApi = get("/openapi.yaml");
        assertThat(openApi.statusCode()).isEqualTo(200);
        assertThat(openApi.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/yaml");
        assertThat(openApi.body()).startsWith("openapi: 3.1.0");
    }

    @Test
    void theServerRefusesToListenBeyondLoopbackWithoutTokens() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> StrataServer.builder().dataDirectory(directory.resolve("other"))
                        .bind("0.0.0.0").port(0).start())
                .isInstanceOfSatisfying(dev.strata.eventstore.ValidationException.class, e -> {
                    assertThat(e.field()).isEqualTo("bind");
                    assertThat(e.rule()).contains("loopback");
                });
        assertThat(directory.resolve("other")).doesNotExist();
    }

    @Test
    void aStreamNameIsTakenFromTheRawPath() throws Exception {
        assertThat(post("/streams/order:42@eu.west", CE, event(UUID.randomUUID(), "A")).statusCode()).isEqualTo(201);
        assertThat(server.store().streamVersion("order:42@eu.west")).hasValue(0);
        assertThat(post("/streams/caf%65-1", CE, event(UUID.randomUUID(), "A")).statusCode())
                .as("a percent-escaped letter is that letter").isEqualTo(201);
        assertThat(server.store().streamVersion("cafe-1")).hasValue(0);
        assertThat(URI.create("http://x/streams/a").getPath()).isEqualTo("/streams/a");
    }
}
