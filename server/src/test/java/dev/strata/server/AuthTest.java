package dev.strata.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.strata.eventstore.AppendRequest;
import dev.strata.eventstore.Durability;
import dev.strata.eventstore.EventData;
import dev.strata.eventstore.ExpectedVersion;
import dev.strata.eventstore.ValidationException;
import dev.strata.eventstore.remote.ProblemType;
import dev.strata.eventstore.remote.RemoteEventStore;
import dev.strata.eventstore.remote.RemoteStoreException;
import dev.strata.eventstore.testkit.EventStoreContract.Recorder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** Bearer tokens with read/write permissions on stream-name prefixes: the token file, 401, 403, and no token in any log. */
class AuthTest {

    private static final String WRITER = "writer-token-0123456789abcdef";
    private static final String READER = "reader-token-0123456789abcdef";
    private static final String ORDERS = "orders-token-0123456789abcdef";
    private static final String CE = "application/cloudevents+json";

    @TempDir
    Path directory;

    private StrataServer server;
    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);

    @BeforeEach
    void start() throws Exception {
        logs.start();
        root.addAppender(logs);
        ((Logger) LoggerFactory.getLogger("dev.strata")).setLevel(ch.qos.logback.classic.Level.DEBUG);
        Path tokens = directory.resolve("tokens");
        Files.writeString(tokens, String.join("\n",
                "# test tokens",
                "writer  " + WRITER + "  write:order- write:payment-",
                "reader  sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(READER.getBytes(StandardCharsets.UTF_8)))
                        + "  read:*",
                "",
                "orders  " + ORDERS + "  read:order write:order-"));
        server = StrataServer.builder().dataDirectory(directory.resolve("store")).port(0).durability(Durability.OS)
                .accessTokens(AccessTokens.load(tokens)).start();
    }

    @AfterEach
    void stop() {
        server.close();
        root.detachAppender(logs);
        ((Logger) LoggerFactory.getLogger("dev.strata")).setLevel(ch.qos.logback.classic.Level.INFO);
        for (ILoggingEvent event : logs.list) {
            String text = event.getFormattedMessage() + (event.getThrowableProxy() == null ? "" : event.getThrowableProxy().getMessage());
            assertThat(text).as("a log line").doesNotContain(WRITER).doesNotContain(READER).doesNotContain(ORDERS);
        }
    }

    private static String event() {
        return "{\"specversion\":\"1.0\",\"id\":\"" + UUID.randomUUID() + "\",\"source\":\"/t\",\"type\":\"T\"}";
    }

    private RawHttp.Reply post(String path, String token) throws Exception {
        return token == null ? RawHttp.post(server.port(), path, CE, event())
                : RawHttp.post(server.port(), path, CE, event(), "Authorization: Bearer " + token);
    }

    private RawHttp.Reply get(String path, String token, String... headers) throws Exception {
        String[] all = new String[headers.length + 1];
        all[0] = "Authorization: Bearer " + token;
        System.arraycopy(headers, 0, all, 1, headers.length);
        return token == null ? RawHttp.get(server.port(), path, headers) : RawHttp.get(server.port(), path, all);
    }

    @Test
    void withoutAValidTokenEveryStoreRequestIs401() throws Exception {
        RawHttp.Reply none = post("/streams/order-1", null);
        assertThat(none.status()).isEqualTo(401);
        assertThat(none.header("WWW-Authenticate")).isEqualTo("Bearer realm=\"strata\"");
        assertThat(none.text()).contains(ProblemType.UNAUTHORIZED.uri());
        RawHttp.Reply wrong = post("/streams/order-1", "not-a-token-0123456789");
        assertThat(wrong.status()).isEqualTo(401);
        assertThat(wrong.header("WWW-Authenticate")).contains("error=\"invalid_token\"");
        assertThat(wrong.text()).doesNotContain("not-a-token");
        assertThat(RawHttp.get(server.port(), "/all", "Authorization: Basic " + WRITER).status()).isEqualTo(401);
        assertThat(RawHttp.get(server.port(), "/all", "Authorization: Bearer " + WRITER.substring(1)).status()).isEqualTo(401);
        assertThat(RawHttp.get(server.port(), "/metrics").status()).isEqualTo(401);
        assertThat(server.store().headPosition()).isEqualTo(-1);
        assertThat(server.meterRegistry().get("strata.http.auth.failures").counter().count()).isEqualTo(5);
    }

    @Test
    void healthAndTheOpenApiDocumentNeedNoToken() throws Exception {
        assertThat(RawHttp.get(server.port(), "/health").status()).isEqualTo(200);
        assertThat(RawHttp.get(server.port(), "/openapi.yaml").status()).isEqualTo(200);
        assertThat(get("/metrics", READER).status()).isEqualTo(200);
    }

    @Test
    void aTokenMayDoWhatItsPermissionsSayAndNothingElse() throws Exception {
        assertThat(post("/streams/order-1", WRITER).status()).isEqualTo(201);
        assertThat(post("/streams/payment-1", WRITER).status()).isEqualTo(201);
        RawHttp.Reply forbidden = post("/streams/refund-1", WRITER);
        assertThat(forbidden.status()).isEqualTo(403);
        assertThat(forbidden.text()).contains(ProblemType.FORBIDDEN.uri()).contains("writer").doesNotContain(WRITER);
        assertThat(get("/streams/order-1", WRITER).status()).as("write does not imply read").isEqualTo(403);

        assertThat(get("/all", READER).status()).isEqualTo(200);
        assertThat(get("/streams/payment-1", READER).status()).isEqualTo(200);
        assertThat(post("/streams/order-2", READER).status()).isEqualTo(403);

        assertThat(get("/streams/order-1", ORDERS).status()).isEqualTo(200);
        assertThat(get("/categories/order", ORDERS).status()).isEqualTo(200);
        assertThat(get("/categories/payment", ORDERS).status()).isEqualTo(403);
        assertThat(get("/streams/payment-1", ORDERS).status()).isEqualTo(403);
        assertThat(get("/all", ORDERS).status()).as("the whole log needs read:*").isEqualTo(403);
        assertThat(get("/all", ORDERS, "Accept: text/event-stream").status()).as("subscriptions too").isEqualTo(403);

        String both = "[{\"stream\":\"order-9\",\"events\":[" + event() + "]},{\"stream\":\"refund-9\",\"events\":[" + event() + "]}]";
        assertThat(RawHttp.post(server.port(), "/streams", "application/json", both, "Authorization: Bearer " + ORDERS).status())
                .isEqualTo(403);
        assertThat(server.store().streamVersion("order-9")).isEmpty();
        assertThat(server.store().headPosition()).isEqualTo(1);
    }

    @Test
    void theRemoteClientSendsItsTokenAndGetsTypedRefusals() {
        try (RemoteEventStore orders = RemoteEventStore.connect(server.uri(), ORDERS);
             RemoteEventStore reader = RemoteEventStore.connect(server.uri(), READER)) {
            orders.append("order-1", ExpectedVersion.noStream(), EventData.json("Placed", "{}"));
            assertThat(orders.readStream("order-1", 0, dev.strata.eventstore.Direction.FORWARD, 10).count()).isEqualTo(1);
            assertThatThrownBy(() -> orders.append("payment-1", ExpectedVersion.any(), EventData.json("Paid", "{}")))
                    .isInstanceOfSatisfying(RemoteStoreException.class, e -> {
                        assertThat(e.status()).isEqualTo(403);
                        assertThat(e.isRetryable()).isFalse();
                    });
            assertThatThrownBy(() -> orders.appendAll(List.of(AppendRequest.of("order-2", ExpectedVersion.any(), EventData.json("A", "{}")),
                    AppendRequest.of("payment-2", ExpectedVersion.any(), EventData.json("B", "{}")))))
                    .isInstanceOfSatisfying(RemoteStoreException.class, e -> assertThat(e.status()).isEqualTo(403));

            Recorder denied = new Recorder();
            orders.subscribeToAll(0, denied);
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> denied.stopped.get());

            Recorder recorder = new Recorder();
            try (var ignored = reader.subscribeToAll(0, recorder)) {
                Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> recorder.events.size() == 1);
            }
            assertThat(reader.headPosition()).isEqualTo(0);
        }
        try (RemoteEventStore nobody = RemoteEventStore.connect(server.uri())) {
            assertThatThrownBy(nobody::headPosition)
                    .isInstanceOfSatisfying(RemoteStoreException.class, e -> assertThat(e.status()).isEqualTo(401));
        }
    }

    @Test
    void aServerWithTokensMayListenBeyondLoopback() {
        try (StrataServer open = StrataServer.builder().dataDirectory(directory.resolve("wide")).bind("0.0.0.0").port(0)
                .accessTokens(AccessTokens.parse(List.of("a " + WRITER + " read:*"), "inline")).start()) {
            assertThat(open.port()).isPositive();
        }
    }

    @Test
    void theTokenFileIsCheckedLineByLineWithoutShowingASecret() {
        assertThatThrownBy(() -> AccessTokens.parse(List.of("a short read:*"), "f"))
                .isInstanceOfSatisfying(ValidationException.class, e -> {
                    assertThat(e.field()).isEqualTo("f line 1 secret of a");
                    assertThat(e.getMessage()).doesNotContain("short");
                });
        assertThatThrownBy(() -> AccessTokens.parse(List.of("# c", "a " + WRITER), "f"))
                .isInstanceOfSatisfying(ValidationException.class, e -> {
                    assertThat(e.field()).isEqualTo("f line 2");
                    assertThat(e.getMessage()).doesNotContain(WRITER);
                });
        assertThatThrownBy(() -> AccessTokens.parse(List.of("a " + WRITER + " delete:*"), "f"))
                .hasMessageContaining("read:PREFIX or write:PREFIX");
        assertThatThrownBy(() -> AccessTokens.parse(List.of("a " + WRITER + " read:a/b"), "f"))
                .hasMessageContaining("PREFIX");
        assertThatThrownBy(() -> AccessTokens.parse(List.of("a " + WRITER + " read:*", "a " + READER + " read:*"), "f"))
                .hasMessageContaining("unique");
        assertThatThrownBy(() -> AccessTokens.parse(List.of("a " + WRITER + " read:*", "b " + WRITER + " read:*"), "f"))
                .isInstanceOf(ValidationException.class).hasMessageNotContaining(WRITER);
        assertThatThrownBy(() -> AccessTokens.parse(List.of("# nothing"), "f")).hasMessageContaining("at least one token");

        AccessTokens tokens = AccessTokens.parse(List.of("a " + WRITER + " read:order write:order-"), "f");
        assertThat(tokens.authenticate(WRITER)).hasValueSatisfying(caller -> {
            assertThat(caller.name()).isEqualTo("a");
            assertThat(caller.canReadCategory("order")).isTrue();
            assertThat(caller.canReadCategory("ord")).isFalse();
            assertThat(caller.canWrite("order-1")).isTrue();
            assertThat(caller.canWrite("order")).isFalse();
            assertThat(caller.canReadAll()).isFalse();
        });
        assertThat(tokens.authenticate(WRITER + "x")).isEmpty();
        assertThat(tokens.authenticate(null)).isEmpty();
        assertThat(new ObjectMapper()).isNotNull();
    }
}
