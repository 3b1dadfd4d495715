package dev.strata.relay;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.strata.eventstore.Direction;
import dev.strata.eventstore.Durability;
import dev.strata.eventstore.EventData;
import dev.strata.eventstore.EventStore;
import dev.strata.eventstore.ExpectedVersion;
import dev.strata.eventstore.Metadata;
import dev.strata.eventstore.RecordedEvent;
import dev.strata.relay.testkit.RecordingWebhook;
import dev.strata.relay.testkit.RecordingWebhook.Answer;
import io.cloudevents.CloudEvent;
import io.cloudevents.http.HttpMessageFactory;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The relay publishing to a real local HTTP server through the HTTP sink. */
class HttpRelayTest {

    static final String TRACEPARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

    @TempDir
    Path tmp;

    EventStore store;
    RecordingWebhook webhook;
    final ObjectMapper json = new ObjectMapper();

    @BeforeEach
    void open() throws Exception {
        store = EventStore.builder().directory(tmp.resolve("store")).name("shop").durability(Durability.OS).open();
        webhook = new RecordingWebhook();
    }

    @AfterEach
    void close() {
        webhook.close();
        store.close();
    }

    private OutboxRelay relay(String name, HttpSink sink) {
        return OutboxRelay.builder().name(name).store(store).sink(sink).checkpointDirectory(tmp.resolve("relays"))
                .retryPolicy(RetryPolicy.defaults().withInitialBackoff(Duration.ofMillis(20)).withMaxBackoff(Duration.ofMillis(200)))
                .meterRegistry(new SimpleMeterRegistry()).start();
    }

    private void append(String stream, int count) {
        for (int i = 0; i < count; i++) {
            store.append(stream, ExpectedVersion.any(), EventData.json(i % 5 == 4 ? "Bad" : "Good", "{\"i\":" + i + "}")
                    .withMetadata(Metadata.of(Map.of(Metadata.TRACEPARENT, TRACEPARENT))));
        }
    }

    @Test
    void binaryModePostsOneRequestPerEventInOrderWithCeHeaders() throws Exception {
        append("order-1", 3);
        try (OutboxRelay relay = relay("hook", HttpSink.builder(webhook.uri()).header("Authorization", "Bearer t0ken").build())) {
            assertThat(relay.awaitCheckpoint(2, Duration.ofSeconds(30))).isTrue();
        }
        List<RecordingWebhook.Request> requests = webhook.requests();
        assertThat(requests).hasSize(3);
        List<RecordedEvent> stored = store.readStream("order-1", 0, Direction.FORWARD, 10).toList();
        for (int i = 0; i < 3; i++) {
            RecordingWebhook.Request request = requests.get(i);
            assertThat(request.header("ce-id")).isEqualTo(stored.get(i).id().toString());
            assertThat(request.header("ce-specversion")).isEqualTo("1.0");
            assertThat(request.header("ce-source")).isEqualTo("strata://shop/order-1");
            assertThat(request.header("ce-subject")).isEqualTo("order-1");
            assertThat(request.header("ce-streamversion")).isEqualTo(Integer.toString(i));
            assertThat(request.header("ce-traceparent")).isEqualTo(TRACEPARENT);
            assertThat(request.header("content-type")).isEqualTo("application/json");
            assertThat(request.header("authorization")).isEqualTo("Bearer t0ken");
            assertThat(request.bodyText()).isEqualTo(stored.get(i).dataAsString());
            CloudEvent back = HttpMessageFactory.createReader(request.headers(), request.body()).toEvent();
            assertThat(back.getType()).isEqualTo(stored.get(i).type());
        }
    }

    @Test
    void structuredModePostsCloudEventsJson() throws Exception {
        append("order-1", 1);
        try (OutboxRelay relay = relay("hook", HttpSink.builder(webhook.uri()).contentMode(ContentMode.STRUCTURED).build())) {
            assertThat(relay.awaitCheckpoint(0, Duration.ofSeconds(30))).isTrue();
        }
        RecordingWebhook.Request request = webhook.requests().get(0);
        assertThat(request.header("content-type")).startsWith("application/cloudevents+json");
        JsonNode event = json.readTree(request.body());
        assertThat(event.get("subject").asText()).isEqualTo("order-1");
        assertThat(event.get("streamversion").asText()).isEqualTo("0");
        assertThat(event.get("data").get("i").asInt()).isZero();
    }

    @Test
    void serverErrorsAreRetriedHonouringRetryAfterAndNothingIsReordered() throws Exception {
        append("order-1", 3);
        AtomicInteger failuresLeft = new AtomicInteger(2);
        webhook.answer(request -> request.header("ce-streamversion").equals("1") && failuresLeft.getAndDecrement() > 0
                ? new Answer(503, Map.of("Retry-After", "1"), 0) : Answer.ok());
        try (OutboxRelay relay = relay("hook", HttpSink.builder(webhook.uri()).build())) {
            assertThat(relay.awaitCheckpoint(2, Duration.ofSeconds(30))).isTrue();
            assertThat(relay.retries()).isEqualTo(2);
            assertThat(relay.deadLetters()).isZero();
        }
        List<RecordingWebhook.Request> requests = webhook.requests();
        assertThat(requests).extracting(r -> r.header("ce-streamversion")).containsExactly("0", "1", "1", "1", "2");
        // the relay waited at least the second the endpoint asked for, twice (not its own 20 ms backoff)
        assertThat(Duration.ofNanos(requests.get(2).receivedNanos() - requests.get(1).receivedNanos())).isGreaterThanOrEqualTo(Duration.ofMillis(950));
        assertThat(Duration.ofNanos(requests.get(3).receivedNanos() - requests.get(2).receivedNanos())).isGreaterThanOrEqualTo(Duration.ofMillis(950));
    }

    @Test
    void requestTimeoutTooManyRequestsAndTimeoutsAreRetried() throws Exception {
        append("order-1", 1);
        AtomicInteger calls = new AtomicInteger();
        webhook.answer(request -> switch (calls.getAndIncrement()) {
            case 0 -> Answer.status(408);
            case 1 -> Answer.status(429);
            case 2 -> new Answer(200, Map.of(), 1_500); // slower than the sink's timeout: retried
            default -> Answer.ok();
        });
        try (OutboxRelay relay = relay("hook", HttpSink.builder(webhook.uri()).timeout(Duration.ofMillis(500)).build())) {
            assertThat(relay.awaitCheckpoint(0, Duration.ofSeconds(30))).isTrue();
            assertThat(relay.retries()).isEqualTo(3);
        }
        assertThat(webhook.requests()).hasSize(4);
    }

    @Test
    void aClientErrorIsNotRetriedTheEventIsDeadLetteredAndTheRelayGoesOn() throws Exception {
        append("order-1", 6); // version 4 is "Bad"
        webhook.answer(request -> request.header("ce-type").equals("Bad") ? Answer.status(422) : Answer.ok());
        try (OutboxRelay relay = relay("hook", HttpSink.builder(webhook.uri()).build())) {
            assertThat(relay.awaitCheckpoint(5, Duration.ofSeconds(30))).isTrue();
            assertThat(relay.deadLetters()).isEqualTo(1);
            assertThat(relay.retries()).isZero();
            RecordedEvent letter = store.readStream("$relay-deadletter-hook", 0, Direction.FORWARD, 5).findFirst().orElseThrow();
            assertThat(letter.dataAsString()).contains("\"version\":4", "HTTP 422");
        }
        assertThat(webhook.requests()).extracting(r -> r.header("ce-streamversion")).containsExactly("0", "1", "2", "3", "4", "5");
    }

    @Test
    void batchedModePostsArraysAndIsolatesARefusedEvent() throws Exception {
        append("order-1", 10); // versions 4 and 9 are "Bad"
        webhook.answer(request -> isBad(request) ? Answer.status(400) : Answer.ok());
        try (OutboxRelay relay = relay("batch", HttpSink.builder(webhook.uri()).batched(4).build())) {
            assertThat(relay.awaitCheckpoint(9, Duration.ofSeconds(30))).isTrue();
            assertThat(relay.deadLetters()).isEqualTo(2);
        }
        List<String> accepted = new ArrayList<>();
        for (RecordingWebhook.Request request : webhook.requests()) {
            if (isBad(request)) {
                continue;
            }
            if (HttpSink.BATCH_CONTENT_TYPE.equals(request.header("content-type"))) {
                for (JsonNode event : json.readTree(request.body())) {
                    accepted.add(event.get("streamversion").asText());
                }
            } else {
                accepted.add(request.header("ce-streamversion"));
            }
        }
        assertThat(accepted).containsExactly("0", "1", "2", "3", "5", "6", "7", "8");
        assertThat(webhook.requests().get(0).header("content-type")).isEqualTo(HttpSink.BATCH_CONTENT_TYPE);
    }

    /** A batch holding a "Bad" event (structured JSON), or a single "Bad" event (binary: the type is a header). */
    private static boolean isBad(RecordingWebhook.Request request) {
        return request.bodyText().contains("\"type\":\"Bad\"") || "Bad".equals(request.header("ce-type"));
    }

    @Test
    void retryAfterIsReadAsSecondsOrAnHttpDate() {
        assertThat(HttpSink.parseRetryAfter("120")).contains(Duration.ofSeconds(120));
        assertThat(HttpSink.parseRetryAfter("Wed, 21 Oct 2015 07:28:00 GMT")).contains(Duration.ZERO); // in the past
        assertThat(HttpSink.parseRetryAfter("soon")).isEmpty();
    }
}
