package dev.strata.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.strata.eventstore.Durability;
import dev.strata.server.internal.ApiHandler;
import dev.strata.server.internal.Route;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Holds openapi.yaml true: it documents exactly the routes and methods the server serves, and every status (with its
 * content type) that real requests to each operation get.
 */
class OpenApiTest {

    private static final String CE = "application/cloudevents+json";

    @TempDir
    Path directory;

    private final JsonNode document = read();

    private static JsonNode read() {
        try {
            return new ObjectMapper(new YAMLFactory()).readTree(ApiHandler.openApiDocument());
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void itIsOpenApi31AndDocumentsExactlyTheServedRoutes() {
        assertThat(document.get("openapi").asText()).isEqualTo("3.1.0");
        Set<String> documented = new TreeSet<>();
        Iterator<String> paths = document.get("paths").fieldNames();
        while (paths.hasNext()) {
            String path = paths.next();
            Iterator<String> methods = document.get("paths").get(path).fieldNames();
            while (methods.hasNext()) {
                String method = methods.next();
                if (!method.equals("parameters")) {
                    documented.add(method.toUpperCase(Locale.ROOT) + " " + path);
                }
            }
        }
        Set<String> served = new TreeSet<>();
        for (Route route : Route.all()) {
            route.methods().forEach(method -> served.add(method + " " + route.template()));
        }
        assertThat(documented).isEqualTo(served);
    }

    /** A request to one operation and the status it must get. */
    record Sample(String method, String template, String head, String body, int status) {
    }

    @Test
    void everyStatusTheServerAnswersIsDocumentedForItsOperation() throws Exception {
        try (StrataServer server = StrataServer.builder().dataDirectory(directory.resolve("store")).port(0)
                .durability(Durability.OS).maxBodyBytes(4096).start()) {
            String event = "{\"specversion\":\"1.0\",\"id\":\"" + UUID.randomUUID() + "\",\"source\":\"/t\",\"type\":\"T\"}";
            List<Sample> samples = new ArrayList<>();
            String append = "POST /streams/order-1 HTTP/1.1\r\nHost: x\r\nContent-Type: " + CE;
            samples.add(new Sample("post", "/streams/{stream}", append, event, 201));
            samples.add(new Sample("post", "/streams/{stream}", append, event, 201)); // a retry
            samples.add(new Sample("post", "/streams/{stream}", append + "\r\nIf-None-Match: *",
                    event.replace("\"T\"", "\"U\"").replaceFirst("[0-9a-f-]{36}", UUID.randomUUID().toString()), 412));
            samples.add(new Sample("post", "/streams/{stream}", append, "{", 400));
            samples.add(new Sample("post", "/streams/{stream}", append, "x".repeat(5000), 413));
            samples.add(new Sample("post", "/streams/{stream}", "POST /streams/order-1 HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain",
                    event, 415));
            samples.add(new Sample("post", "/streams/{stream}", "POST /streams/order-2 HTTP/1.1\r\nHost: x\r\nContent-Type: " + CE,
                    event, 409));
            samples.add(new Sample("get", "/streams/{stream}", "GET /streams/order-1 HTTP/1.1\r\nHost: x", null, 200));
            samples.add(new Sample("get", "/streams/{stream}", "GET /streams/order-1 HTTP/1.1\r\nHost: x\r\nIf-None-Match: \"0\"", null, 304));
            samples.add(new Sample("get", "/streams/{stream}", "GET /streams/none-1 HTTP/1.1\r\nHost: x", null, 404));
            samples.add(new Sample("get", "/streams/{stream}", "GET /streams/order-1?from=x HTTP/1.1\r\nHost: x", null, 400));
            samples.add(new Sample("head", "/streams/{stream}", "HEAD /streams/order-1 HTTP/1.1\r\nHost: x", null, 200));
            samples.add(new Sample("head", "/streams/{stream}", "HEAD /streams/none-1 HTTP/1.1\r\nHost: x", null, 404));
            String multi = "POST /streams HTTP/1.1\r\nHost: x\r\nContent-Type: application/json";
            samples.add(new Sample("post", "/streams", multi, "[{\"stream\":\"m-1\",\"events\":[" + event.replaceFirst("[0-9a-f-]{36}",
                    UUID.randomUUID().toString()) + "]}]", 201));
            samples.add(new Sample("post", "/streams", multi, "[{\"stream\":\"m-1\",\"expectedVersion\":\"no-stream\",\"events\":["
                    + event.replaceFirst("[0-9a-f-]{36}", UUID.randomUUID().toString()) + "]}]", 412));
            samples.add(new Sample("post", "/streams", multi, "[1]", 400));
            samples.add(new Sample("post", "/streams", "POST /streams HTTP/1.1\r\nHost: x\r\nContent-Type: " + CE, "[]", 415));
            samples.add(new Sample("get", "/all", "GET /all?limit=1 HTTP/1.1\r\nHost: x", null, 200));
            samples.add(new Sample("get", "/all", "GET /all?limit=0 HTTP/1.1\r\nHost: x", null, 400));
            samples.add(new Sample("head", "/all", "HEAD /all HTTP/1.1\r\nHost: x", null, 200));
            samples.add(new Sample("get", "/categories/{category}", "GET /categories/order HTTP/1.1\r\nHost: x", null, 200));
            samples.add(new Sample("get", "/categories/{category}", "GET /categories/a-b HTTP/1.1\r\nHost: x", null, 400));
            samples.add(new Sample("head", "/categories/{category}", "HEAD /categories/order HTTP/1.1\r\nHost: x", null, 200));
            samples.add(new Sample("get", "/health", "GET /health HTTP/1.1\r\nHost: x", null, 200));
            samples.add(new Sample("get", "/metrics", "GET /metrics HTTP/1.1\r\nHost: x", null, 200));
            samples.add(new Sample("get", "/openapi.yaml", "GET /openapi.yaml HTTP/1.1\r\nHost: x", null, 200));

            for (Sample sample : samples) {
                RawHttp.Reply reply = RawHttp.send(server.port(), sample.head() + (sample.body() == null ? ""
                        : "\r\nContent-Length: " + sample.body().getBytes(java.nio.charset.StandardCharsets.UTF_8).length),
                        sample.body() == null ? null : sample.body().getBytes(java.nio.charset.StandardCharsets.UTF_8));
                String what = sample.method().toUpperCase(Locale.ROOT) + " " + sample.template() + " -> " + reply.status() + " " + reply.text();
                assertThat(reply.status()).as(what).isEqualTo(sample.status());
                JsonNode response = document.at("/paths/" + sample.template().replace("/", "~1") + "/" + sample.method()
                        + "/responses/" + reply.status());
                assertThat(response.isMissingNode()).as("documented: %s", what).isFalse();
                response = resolve(response);
                String type = reply.header("Content-Type");
                if (type != null && reply.body().length > 0) {
                    String essence = type.split(";")[0].strip();
                    assertThat(response.path("content").has(essence)).as("content type %s documented for %s", essence, what).isTrue();
                }
            }
            assertThat(RawHttp.get(server.port(), "/openapi.yaml").body()).isEqualTo(ApiHandler.openApiDocument());
        }
    }

    private JsonNode resolve(JsonNode node) {
        if (node.has("$ref")) {
            return document.at(node.get("$ref").asText().substring(1));
        }
        return node;
    }
}
