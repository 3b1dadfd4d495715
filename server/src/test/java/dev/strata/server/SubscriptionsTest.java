package dev.strata.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.strata.eventstore.Durability;
import dev.strata.eventstore.EventData;
import dev.strata.eventstore.ExpectedVersion;
import dev.strata.eventstore.RecordedEvent;
import dev.strata.eventstore.Subscription;
import dev.strata.eventstore.remote.RemoteEventStore;
import dev.strata.eventstore.testkit.EventStoreContract.Recorder;
import dev.strata.eventstore.testkit.LongStreamRange;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Server-Sent Events subscriptions against a real server: frames, catch-up then live, Last-Event-ID resume, heartbeats,
 * slow and abandoned clients, the remote client's resume after its connection is cut, and a clean end on stop.
 */
class SubscriptionsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path directory;

    private StrataServer server;

    @BeforeEach
    void start() {
        server = StrataServer.builder().dataDirectory(directory.resolve("store")).port(0).durability(Durability.OS)
                .heartbeat(Duration.ofMillis(300)).idleTimeout(Duration.ofSeconds(3)).start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private URI uri(String path) {
        return server.uri().resolve(path);
    }

    private void append(String stream, int count) {
        server.store().append(stream, ExpectedVersion.any(),
                IntStream.range(0, count).mapToObj(i -> EventData.json("Happened" + i, "{\"i\":" + i + "}")).toList());
    }

    @Test
    void theGlobalLogCatchesUpThenGoesLiveFrameByFrame() throws Exception {
        append("order-1", 3);
        append("payment-1", 2);
        try (SseReader sse = SseReader.open(uri("/all"))) {
            assertThat(sse.response().statusCode()).isEqualTo(200);
            assertThat(sse.response().headers().firstValue("Content-Type").orElseThrow()).startsWith("text/event-stream");
            assertThat(sse.response().headers().firstValue("Cache-Control")).hasValue("no-cache");

            List<SseReader.Frame> caughtUp = sse.events(5, WAIT);
            assertThat(caughtUp).extracting(SseReader.Frame::id).containsExactly("0", "1", "2", "3", "4");
            SseReader.Frame first = caughtUp.get(0);
            assertThat(first.event()).isEqualTo("Happened0");
            JsonNode cloudEvent = JSON.readTree(first.data());
            assertThat(cloudEvent.get("specversion").asText()).isEqualTo("1.0");
            assertThat(cloudEvent.get("subject").asText()).isEqualTo("order-1");
            assertThat(cloudEvent.get("position").asText()).isEqualTo("0");
            assertThat(cloudEvent.get("streamversion").asText()).isEqualTo("0");
            sse.awaitComment("live", WAIT);

            // Over HTTP, so the append itself wakes the subscription.
            RawHttp.Reply reply = RawHttp.post(server.port(), "/streams/order-2", "application/cloudevents+json",
                    "{\"specversion\":\"1.0\",\"id\":\"" + UUID.randomUUID() + "\",\"source\":\"/t\",\"type\":\"Live\"}");
            assertThat(reply.status()).isEqualTo(201);
            SseReader.Frame live = sse.events(1, WAIT).get(0);
            assertThat(live.id()).isEqualTo("5");
            assertThat(live.event()).isEqualTo("Live");
            // And an append the server did not take (embedded, in this process) is found by the tick.
            append("order-3", 1);
            assertThat(sse.events(1, WAIT).get(0).id()).isEqualTo("6");
        }
    }

    @Test
    void lastEventIdResumesRightAfterThatPositionForTheLogACategoryAndAStream() throws Exception {
        append("order-1", 2);   // 0 1
        append("payment-1", 2); // 2 3
        append("order-1", 2);   // 4 5
        append("order-2", 1);   // 6
        try (SseReader all = SseReader.open(uri("/all?from=0"), "Last-Event-ID", "3")) {
            assertThat(all.events(3, WAIT)).extracting(SseReader.Frame::id).containsExactly("4", "5", "6");
        }
        try (SseReader category = SseReader.open(uri("/categories/order"), "Last-Event-ID", "1")) {
            assertThat(category.events(3, WAIT)).extracting(SseReader.Frame::id).containsExactly("4", "5", "6");
        }
        try (SseReader stream = SseReader.open(uri("/streams/order-1"), "Last-Event-ID", "3")) {
            List<SseReader.Frame> events = stream.events(2, WAIT);
            assertThat(events).extracting(SseReader.Frame::id).containsExactly("4", "5");
            assertThat(JSON.readTree(events.get(0).data()).get("streamversion").asText()).isEqualTo("2");
        }
        try (SseReader stream = SseReader.open(uri("/streams/order-1?from=3"))) {
            assertThat(stream.events(1, WAIT)).extracting(SseReader.Frame::id).containsExactly("5");
        }
    }

    @Test
    void aSilentSubscriptionHearsHeartbeatsAndAStreamThatDoesNotExistYetIsWaitedFor() throws Exception {
        try (SseReader sse = SseReader.open(uri("/streams/later-1"))) {
            assertThat(sse.response().statusCode()).isEqualTo(200);
            sse.awaitComment("live", WAIT);
            sse.awaitComment("heartbeat", Duration.ofSeconds(5));
            sse.awaitComment("heartbeat", Duration.ofSeconds(5));
            append("later-1", 1);
            assertThat(sse.events(1, WAIT).get(0).id()).isEqualTo("0");
        }
    }

    @Test
    void aClientThatStopsReadingNeitherBlocksWritersNorIsBufferedForAndIsDroppedAfterTheIdleTimeout() throws Exception {
        String data = "x".repeat(4000);
        try (Socket stalled = new Socket()) {
            stalled.setReceiveBufferSize(4096);
            stalled.connect(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), server.port()));
            stalled.getOutputStream().write(("GET /all HTTP/1.1\r\nHost: x\r\nAccept: text/event-stream\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            InputStream in = stalled.getInputStream();
            assertThat(RawHttp.line(in)).startsWith("HTTP/1.1 200");
            Awaitility.await().atMost(WAIT).until(() -> server.openSubscriptions() == 1);
            // The client reads nothing more. Writers go on at full speed: 80 appends of 50 events of 4 KB = 16 MB, far more
            // than the socket buffers between the server and the client hold (a few MB on loopback).
            long started = System.nanoTime();
            for (int i = 0; i < 80; i++) {
                server.store().append("load-" + i, ExpectedVersion.any(),
                        IntStream.range(0, 50).mapToObj(n -> EventData.json("Load", "{\"d\":\"" + data + "\"}")).toList());
                RawHttp.post(server.port(), "/streams/wake-" + i, "application/cloudevents+json",
                        "{\"specversion\":\"1.0\",\"id\":\"" + UUID.randomUUID() + "\",\"source\":\"/t\",\"type\":\"Wake\"}");
            }
            long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started);
            assertThat(seconds).as("writers were not held up by the stalled subscriber").isLessThan(15);
            // Pulled, not pushed: the server did not read the log ahead into memory for it, so it is far behind.
            double lag = server.meterRegistry().get("strata.http.subscriptions.lag.max").gauge().value();
            assertThat(lag).as("positions the stalled subscriber has not been sent").isGreaterThan(2000);
            // Its pending write times out (idle timeout 3 s) and the subscription is gone, holding nothing.
            Awaitility.await().atMost(WAIT).until(() -> server.openSubscriptions() == 0);
        }
        try (SseReader sse = SseReader.open(uri("/all?from=4000"))) {
            assertThat(sse.events(1, WAIT).get(0).id()).as("the server serves on").isEqualTo("4000");
        }
    }

    @Test
    void anAbandonedConnectionIsNoticedAtTheNextHeartbeatAndForgotten() throws Exception {
        Socket abandoned = new Socket(InetAddress.getLoopbackAddress(), server.port());
        abandoned.getOutputStream().write("GET /categories/order HTTP/1.1\r\nHost: x\r\nAccept: text/event-stream\r\n\r\n"
                .getBytes(StandardCharsets.US_ASCII));
        assertThat(RawHttp.line(abandoned.getInputStream())).startsWith("HTTP/1.1 200");
        Awaitility.await().atMost(WAIT).until(() -> server.openSubscriptions() == 1);

        abandoned.close();

        Awaitility.await().atMost(WAIT).until(() -> server.openSubscriptions() == 0);
    }

    @Test
    void aGracefulStopEndsSubscriptionsCleanly() throws Exception {
        append("order-1", 2);
        SseReader sse = SseReader.open(uri("/all"));
        sse.events(2, WAIT);
        sse.awaitComment("live", WAIT);

        server.close();

        sse.ended().get(10, TimeUnit.SECONDS); // a normal end of stream, not a reset
        assertThat(server.openSubscriptions()).isZero();
    }

    @Test
    void theRemoteClientResumesAfterItsConnectionIsCutWithoutGapOrDuplicate() throws Exception {
        try (TcpProxy proxy = new TcpProxy(server.port());
             RemoteEventStore remote = RemoteEventStore.builder(URI.create("http://127.0.0.1:" + proxy.port()))
                     .reconnectDelay(Duration.ofMillis(20)).connect()) {
            append("order-1", 50);
            Recorder all = new Recorder();
            Recorder category = new Recorder();
            Recorder stream = new Recorder();
            List<Subscription> subscriptions = new ArrayList<>();
            subscriptions.add(remote.subscribeToAll(0, all));
            subscriptions.add(remote.subscribeToCategory("order", 0, category));
            subscriptions.add(remote.subscribeToStream("order-1", 0, stream));
            for (int round = 0; round < 8; round++) {
                for (int i = 0; i < 5; i++) {
                    append(i % 2 == 0 ? "order-1" : "payment-" + round, 20);
                }
                Thread.sleep(30);
                proxy.cutConnections();
            }
            long head = server.store().headPosition();
            Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> all.lastPosition() == head);
            List<Long> orderPositions = server.store().readCategory("order", 0, 10_000).map(RecordedEvent::position).toList();
            Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> category.events.size() == orderPositions.size()
                    && stream.events.size() == orderPositions.size());
            subscriptions.forEach(Subscription::close);

            assertThat(proxy.accepted()).as("it had to reconnect").isGreaterThan(6);
            assertThat(all.positions()).containsExactlyElementsOf(LongStreamRange.of(0, head + 1));
            assertThat(category.positions()).containsExactlyElementsOf(orderPositions);
            assertThat(stream.events).extracting(RecordedEvent::version)
                    .containsExactlyElementsOf(LongStreamRange.of(0, orderPositions.size()));
            assertThat(all.live).isTrue();
            assertThat(all.stopped.get()).isFalse();
        }
    }

    @Test
    void theRemoteClientWaitsForARestartedServerAndGoesOn() throws Exception {
        int port = server.port();
        RemoteEventStore remote = RemoteEventStore.builder(server.uri()).reconnectDelay(Duration.ofMillis(50)).connect();
        try {
            append("order-1", 10);
            Recorder recorder = new Recorder();
            try (Subscription ignored = remote.subscribeToAll(0, recorder)) {
                Awaitility.await().atMost(WAIT).until(() -> recorder.events.size() == 10);
                server.close();
                server = StrataServer.builder().dataDirectory(directory.resolve("store")).port(port).durability(Durability.OS)
                        .heartbeat(Duration.ofMillis(300)).idleTimeout(Duration.ofSeconds(3)).start();
                append("order-1", 5);
                Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> recorder.events.size() == 15);
            }
            assertThat(recorder.positions()).containsExactlyElementsOf(LongStreamRange.of(0, 15));
        } finally {
            remote.close();
        }
    }
}
