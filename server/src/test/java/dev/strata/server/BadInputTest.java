package dev.strata.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.strata.eventstore.Durability;
import dev.strata.eventstore.remote.ProblemType;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The bad-input table: each request gets the right 4xx as {@code application/problem+json} (naming the field where
 * there is one), nothing is written, and the next good request works. Requests go over a raw socket, so they can be as
 * broken as a real client's.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BadInputTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CE = "application/cloudevents+json";
    private static final String BATCH = "application/cloudevents-batch+json";
    private static final int MAX_BODY = 64 << 10;
    private static final int MAX_EVENT = 8 << 10;

    private StrataServer server;
    private int port;

    /** A request and what it must get. */
    record Case(String name, Request request, int status, ProblemType type, String field) {
        @Override
        public String toString() {
            return name;
        }
    }

    @FunctionalInterface
    interface Request {
        RawHttp.Reply send(int port) throws IOException;
    }

    @BeforeAll
    void start(@TempDir Path directory) throws IOException {
        server = StrataServer.builder().dataDirectory(directory.resolve("store")).port(0).durability(Durability.OS)
                .maxBodyBytes(MAX_BODY).maxEventBytes(MAX_EVENT).maxHeaderBytes(8 << 10).maxPageEvents(50).start();
        port = server.port();
        assertThat(RawHttp.post(port, "/streams/good-0", CE, event(UUID.randomUUID())).status()).isEqualTo(201);
    }

    @AfterAll
    void stop() {
        server.close();
    }

    static String event(UUID id) {
        return "{\"specversion\":\"1.0\",\"id\":\"" + id + "\",\"source\":\"/test\",\"type\":\"Tested\",\"data\":{\"n\":1}}";
    }

    static String eventWith(String... members) {
        return "{" + String.join(",", members) + "}";
    }

    private static final String SPEC = "\"specversion\":\"1.0\"";
    private static final String SOURCE = "\"source\":\"/test\"";
    private static final String TYPE = "\"type\":\"Tested\"";

    private static String id() {
        return "\"id\":\"" + UUID.randomUUID() + "\"";
    }

    static Case append(String name, String contentType, byte[] body, int status, ProblemType type, String field, String... headers) {
        return new Case(name, port -> RawHttp.post(port, "/streams/bad-1", contentType, body, headers), status, type, field);
    }

    static Case append(String name, String body, int status, String field, String... headers) {
        return append(name, CE, body.getBytes(StandardCharsets.UTF_8), status, ProblemType.INVALID_INPUT, field, headers);
    }

    static Case request(String name, String head, byte[] body, int status, ProblemType type, String field) {
        return new Case(name, port -> RawHttp.send(port, head, body), status, type, field);
    }

    static Case get(String name, String target, int status, String field, String... headers) {
        return new Case(name, port -> RawHttp.get(port, target, headers), status, ProblemType.forStatus(status), field);
    }

    static byte[] bytes(String... parts) {
        return String.join("", parts).getBytes(StandardCharsets.UTF_8);
    }

    static byte[] concat(byte[]... parts) {
        int length = Arrays.stream(parts).mapToInt(p -> p.length).sum();
        byte[] out = new byte[length];
        int at = 0;
        for (byte[] part : parts) {
            System.arraycopy(part, 0, out, at, part.length);
            at += part.length;
        }
        return out;
    }

    Stream<Case> cases() {
        List<Case> cases = new ArrayList<>();
        String good = event(UUID.randomUUID());
        // ---- malformed bodies
        cases.add(append("malformed JSON", "{\"specversion\":", 400, "body"));
        cases.add(append("truncated JSON", good.substring(0, good.length() / 2), 400, "body"));
        cases.add(append("not JSON at all", "hello", 400, "body"));
        cases.add(append("empty body", "", 400, "body"));
        cases.add(append("an array where one event is expected", "[" + good + "]", 400, "body"));
        cases.add(append("two objects", good + good, 400, "body"));
        cases.add(append("invalid UTF-8 (0xff) in a string", CE, concat(bytes("{", SPEC, ",", id(), ",", SOURCE, ",\"type\":\"T"),
                new byte[] {(byte) 0xff}, bytes("\"}")), 400, ProblemType.INVALID_INPUT, "body"));
        cases.add(append("overlong UTF-8 encoding of /", CE, concat(bytes("{", SPEC, ",", id(), ",\"source\":\"/a"),
                new byte[] {(byte) 0xc0, (byte) 0xaf}, bytes("\",", TYPE, "}")), 400, ProblemType.INVALID_INPUT, "body"));
        cases.add(append("nesting 2000 deep", eventWith(SPEC, id(), SOURCE, TYPE, "\"data\":" + "[".repeat(2000) + "]".repeat(2000)),
                400, "body"));
        // ---- CloudEvent attributes
        cases.add(append("missing specversion", eventWith(id(), SOURCE, TYPE), 400, "specversion"));
        cases.add(append("wrong specversion", eventWith("\"specversion\":\"0.3\"", id(), SOURCE, TYPE), 400, "specversion"));
        cases.add(append("numeric specversion", eventWith("\"specversion\":1.0", id(), SOURCE, TYPE), 400, "specversion"));
        cases.add(append("missing id", eventWith(SPEC, SOURCE, TYPE), 400, "id"));
        cases.add(append("id not a UUID", eventWith(SPEC, "\"id\":\"order-1\"", SOURCE, TYPE), 400, "id"));
        cases.add(append("missing source", eventWith(SPEC, id(), TYPE), 400, "source"));
        cases.add(append("empty source", eventWith(SPEC, id(), "\"source\":\"\"", TYPE), 400, "source"));
        cases.add(append("missing type", eventWith(SPEC, id(), SOURCE), 400, "type"));
        cases.add(append("type with a space", eventWith(SPEC, id(), SOURCE, "\"type\":\"Order Placed\""), 400, "type"));
        cases.add(append("bad extension name", eventWith(SPEC, id(), SOURCE, TYPE, "\"Bad-Name\":\"x\""), 400, "Bad-Name"));
        cases.add(append("object extension", eventWith(SPEC, id(), SOURCE, TYPE, "\"tenant\":{}"), 400, "tenant"));
        cases.add(append("data and data_base64", eventWith(SPEC, id(), SOURCE, TYPE, "\"data\":1", "\"data_base64\":\"AA==\""), 400, "data"));
        cases.add(append("data_base64 not base64", eventWith(SPEC, id(), SOURCE, TYPE, "\"data_base64\":\"!!!\""), 400, "data_base64"));
        cases.add(append("bad datacontenttype", eventWith(SPEC, id(), SOURCE, TYPE, "\"datacontenttype\":\"nonsense\""), 400,
                "contentType"));
        cases.add(append("data over the event limit", eventWith(SPEC, id(), SOURCE, TYPE, "\"data\":\"" + "x".repeat(MAX_EVENT + 10) + "\""),
                400, "event.data"));
        // ---- batches
        cases.add(append("empty batch", BATCH, bytes("[]"), 400, ProblemType.INVALID_INPUT, "events"));
        cases.add(append("batch of a number", BATCH, bytes("[1]"), 400, ProblemType.INVALID_INPUT, "[0]"));
        cases.add(append("batch with a bad second event", BATCH, bytes("[", good, ",", eventWith(SPEC, SOURCE, TYPE), "]"), 400,
                ProblemType.INVALID_INPUT, "[1].id"));
        String twice = event(UUID.randomUUID());
        cases.add(append("batch with one id twice", BATCH, bytes("[", twice, ",", twice, "]"), 400, ProblemType.INVALID_INPUT, "event.id"));
        cases.add(append("object sent as a batch", BATCH, bytes(good), 400, ProblemType.INVALID_INPUT, "body"));
        // ---- content types
        cases.add(append("text/plain", "text/plain", bytes(good), 415, ProblemType.UNSUPPORTED_MEDIA_TYPE, "Content-Type"));
        cases.add(append("no content type", null, bytes(good), 415, ProblemType.UNSUPPORTED_MEDIA_TYPE, "Content-Type"));
        cases.add(append("plain JSON to a stream", "application/json", bytes(good), 415, ProblemType.UNSUPPORTED_MEDIA_TYPE, "Content-Type"));
        cases.add(append("latin-1 charset", CE + "; charset=iso-8859-1", bytes(good), 415, ProblemType.UNSUPPORTED_MEDIA_TYPE,
                "Content-Type"));
        // ---- sizes
        cases.add(append("body over the limit (Content-Length)", CE, new byte[MAX_BODY + 1], 413, ProblemType.PAYLOAD_TOO_LARGE, null));
        cases.add(request("body over the limit (chunked)", "POST /streams/bad-1 HTTP/1.1\r\nHost: x\r\nContent-Type: " + CE
                + "\r\nTransfer-Encoding: chunked", chunked(MAX_BODY + 4096), 413, ProblemType.PAYLOAD_TOO_LARGE, null));
        cases.add(append("a 20 KiB header", CE, bytes(good), 431, ProblemType.HEADERS_TOO_LARGE, null, "X-Big: " + "x".repeat(20 << 10)));
        cases.add(request("a 20 KiB URL", "GET /streams/" + "x".repeat(20 << 10) + " HTTP/1.1\r\nHost: x", null, 414,
                ProblemType.URI_TOO_LONG, null));
        // ---- stream names
        // %00 and a broken escape are refused by the HTTP parser itself (400, no field): the URI is not valid
        cases.add(new Case("stream name a%00b", port -> RawHttp.post(port, "/streams/a%00b", CE, good), 400,
                ProblemType.INVALID_INPUT, null));
        cases.add(new Case("stream name x%ZZ", port -> RawHttp.post(port, "/streams/x%ZZ", CE, good), 400,
                ProblemType.INVALID_INPUT, null));
        for (String bad : List.of("a%2Fb", "a/b", "..", "%2E%2E", "a%0Ab", "a%01b", "a%7Fb", "%24system", "$system", "", "%C3%28",
                "-x", "a%20b", "x".repeat(201), "%C3%BCni")) {
            cases.add(new Case("stream name " + (bad.length() > 20 ? bad.substring(0, 20) + "..." : bad),
                    port -> RawHttp.post(port, "/streams/" + bad, CE, good), 400, ProblemType.INVALID_INPUT, "stream"));
        }
        cases.add(request("raw non-ASCII stream name", "POST /streams/\u00fcni HTTP/1.1\r\nHost: x\r\nContent-Type: " + CE
                + "\r\nContent-Length: " + good.length(), bytes(good), 400, ProblemType.INVALID_INPUT, null));
        // ---- preconditions
        for (String ifMatch : List.of("\"abc\"", "\"-1\"", "\"99999999999999999999\"", "W/\"1\"", "1", "\"1\", \"2\"", "\"\"")) {
            cases.add(append("If-Match " + ifMatch, good, 400, "If-Match", "If-Match: " + ifMatch));
        }
        cases.add(append("If-None-Match with a version", good, 400, "If-None-Match", "If-None-Match: \"1\""));
        cases.add(append("If-Match and If-None-Match", good, 400, "If-Match", "If-Match: *", "If-None-Match: *"));
        // ---- reads
        cases.add(get("negative from", "/streams/good-0?from=-1", 400, "from"));
        cases.add(get("non-numeric from", "/streams/good-0?from=abc", 400, "from"));
        cases.add(get("overflowing from", "/streams/good-0?from=99999999999999999999", 400, "from"));
        cases.add(get("from with a plus", "/all?from=+1", 400, "from"));
        cases.add(get("limit 0", "/all?limit=0", 400, "limit"));
        cases.add(get("negative limit", "/all?limit=-5", 400, "limit"));
        cases.add(get("limit 1e3", "/all?limit=1e3", 400, "limit"));
        cases.add(get("overflowing limit", "/all?limit=999999999999999999999", 400, "limit"));
        cases.add(get("direction sideways", "/streams/good-0?direction=sideways", 400, "direction"));
        cases.add(get("direction on /all", "/all?direction=backward", 400, "direction"));
        cases.add(get("unknown parameter", "/all?form=1", 400, "form"));
        cases.add(get("parameter twice", "/all?from=1&from=2", 400, "from"));
        cases.add(get("bad percent in a parameter", "/all?from=%ZZ", 400, "from"));
        cases.add(get("category with a dash", "/categories/a-b", 400, "category"));
        cases.add(get("category with a NUL", "/categories/a%00", 400, null));
        cases.add(get("category with a control character", "/categories/a%01", 400, "category"));
        cases.add(get("Last-Event-ID not a number", "/all", 400, "Last-Event-ID", "Accept: text/event-stream", "Last-Event-ID: abc"));
        cases.add(get("Last-Event-ID negative", "/all", 400, "Last-Event-ID", "Accept: text/event-stream", "Last-Event-ID: -1"));
        cases.add(get("missing stream", "/streams/missing-1", 404, null));
        // ---- routes and methods
        cases.add(get("unknown path", "/nope", 404, null));
        cases.add(get("path below a stream", "/streams/a/b/c", 400, "stream"));
        cases.add(request("PUT a stream", "PUT /streams/x HTTP/1.1\r\nHost: x\r\nContent-Length: 0", null, 405,
                ProblemType.METHOD_NOT_ALLOWED, null));
        cases.add(request("DELETE the log", "DELETE /all HTTP/1.1\r\nHost: x", null, 405, ProblemType.METHOD_NOT_ALLOWED, null));
        cases.add(request("garbage request line", "HELLO", null, 400, ProblemType.INVALID_INPUT, null));
        // ---- multi-stream appends
        String multi = "/streams";
        cases.add(new Case("multi: not an array", port -> RawHttp.post(port, multi, "application/json", "{}"), 400,
                ProblemType.INVALID_INPUT, "body"));
        cases.add(new Case("multi: missing stream", port -> RawHttp.post(port, multi, "application/json", "[{\"events\":[" + good + "]}]"),
                400, ProblemType.INVALID_INPUT, "[0].stream"));
        cases.add(new Case("multi: negative expectedVersion", port -> RawHttp.post(port, multi, "application/json",
                "[{\"stream\":\"m-1\",\"expectedVersion\":-1,\"events\":[" + good + "]}]"), 400, ProblemType.INVALID_INPUT,
                "[0].expectedVersion"));
        cases.add(new Case("multi: expectedVersion sometimes", port -> RawHttp.post(port, multi, "application/json",
                "[{\"stream\":\"m-1\",\"expectedVersion\":\"sometimes\",\"events\":[" + good + "]}]"), 400,
                ProblemType.INVALID_INPUT, "[0].expectedVersion"));
        cases.add(new Case("multi: overflowing expectedVersion", port -> RawHttp.post(port, multi, "application/json",
                "[{\"stream\":\"m-1\",\"expectedVersion\":99999999999999999999,\"events\":[" + good + "]}]"), 400,
                ProblemType.INVALID_INPUT, "[0].expectedVersion"));
        cases.add(new Case("multi: unknown member", port -> RawHttp.post(port, multi, "application/json",
                "[{\"stream\":\"m-1\",\"colour\":\"red\",\"events\":[" + good + "]}]"), 400, ProblemType.INVALID_INPUT, "[0].colour"));
        cases.add(new Case("multi: system stream", port -> RawHttp.post(port, multi, "application/json",
                "[{\"stream\":\"$x\",\"events\":[" + good + "]}]"), 400, ProblemType.INVALID_INPUT, "stream"));
        cases.add(new Case("multi: a stream twice", port -> RawHttp.post(port, multi, "application/json",
                "[{\"stream\":\"m-1\",\"events\":[" + event(UUID.randomUUID()) + "]},{\"stream\":\"m-1\",\"events\":["
                        + event(UUID.randomUUID()) + "]}]"), 400, ProblemType.INVALID_INPUT, "stream"));
        cases.add(new Case("multi: empty", port -> RawHttp.post(port, multi, "application/json", "[]"), 400,
                ProblemType.INVALID_INPUT, "requests"));
        cases.add(new Case("multi: CloudEvents content type", port -> RawHttp.post(port, multi, BATCH, "[" + good + "]"), 415,
                ProblemType.UNSUPPORTED_MEDIA_TYPE, "Content-Type"));
        return cases.stream();
    }

    private static byte[] chunked(int total) {
        StringBuilder out = new StringBuilder();
        int chunk = 8192;
        for (int sent = 0; sent < total; sent += chunk) {
            out.append(Integer.toHexString(chunk)).append("\r\n").append("x".repeat(chunk)).append("\r\n");
        }
        out.append("0\r\n\r\n");
        return out.toString().getBytes(StandardCharsets.US_ASCII);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void badInputGetsAProblemWritesNothingAndTheServerGoesOn(Case bad) throws IOException {
        long head = server.store().headPosition();

        RawHttp.Reply reply = bad.request().send(port);

        assertThat(reply.status()).as("status of %s: %s", bad.name(), reply.text()).isEqualTo(bad.status());
        assertThat(reply.header("Content-Type")).as("content type of %s", bad.name()).startsWith(ProblemType.MEDIA_TYPE);
        JsonNode problem = JSON.readTree(reply.body());
        assertThat(problem.path("status").asInt()).isEqualTo(bad.status());
        assertThat(problem.path("title").asText()).isNotBlank();
        assertThat(problem.path("detail").asText()).isNotBlank();
        if (bad.type() != null) {
            assertThat(problem.path("type").asText()).as("type of %s", bad.name()).isEqualTo(bad.type().uri());
        }
        if (bad.field() != null) {
            assertThat(problem.path("field").asText()).as("field of %s: %s", bad.name(), problem).isEqualTo(bad.field());
        }
        if (bad.status() == 405) {
            assertThat(reply.header("Allow")).isNotBlank();
        }
        assertThat(server.store().headPosition()).as("nothing written by %s", bad.name()).isEqualTo(head);
        RawHttp.Reply next = RawHttp.post(port, "/streams/good-" + UUID.randomUUID(), CE, event(UUID.randomUUID()));
        assertThat(next.status()).as("a good append after %s", bad.name()).isEqualTo(201);
        assertThat(server.store().headPosition()).isEqualTo(head + 1);
    }
}
