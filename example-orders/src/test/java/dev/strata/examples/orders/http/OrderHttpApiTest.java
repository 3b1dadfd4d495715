package dev.strata.examples.orders.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.strata.eventstore.Direction;
import dev.strata.eventstore.Durability;
import dev.strata.eventstore.RecordedEvent;
import dev.strata.examples.orders.PlaceOrderSaga;
import dev.strata.saga.SagaLog;
import java.util.List;
import java.util.stream.Stream;
import dev.strata.examples.orders.OrderSystem;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shop's HTTP API over real HTTP: place, read your writes, retry safely, and refuse bad input with problem+json. */
class OrderHttpApiTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ADA = "{\"customer\":\"ada\",\"sku\":\"widget\",\"quantity\":1,\"card\":\"tok_visa\"}";

    @TempDir
    Path data;

    private OrderSystem shop;
    private OrderHttpApi api;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeEach
    void start() {
        shop = OrderSystem.builder(data).durability(Durability.OS).open();
        shop.restock("widget", 5);
        api = OrderHttpApi.start(shop, 0);
    }

    @AfterEach
    void stop() {
        api.close();
        shop.close();
    }

    private HttpResponse<String> post(String body, String idempotencyKey) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri("/orders")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (idempotencyKey != null) {
            request.header("Idempotency-Key", idempotencyKey);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(uri(path)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + api.port() + path);
    }

    @Test
    void placeAnOrderThenReadItBackAtLeastAsNewAsTheWrite() throws Exception {
        HttpResponse<String> placed = post(ADA, "order-1");

        assertThat(placed.statusCode()).as(placed.body()).isEqualTo(201);
        JsonNode answer = JSON.readTree(placed.body());
        String id = answer.path("orderId").asText();
        long position = answer.path("position").asLong();
        assertThat(answer.path("status").asText()).isEqualTo("CONFIRMED");
        assertThat(placed.headers().firstValue("Strata-Position")).contains(Long.toString(position));
        assertThat(placed.headers().firstValue("Location")).contains("/orders/" + id);

        HttpResponse<String> order = get("/orders/" + id + "?min-position=" + position);
        assertThat(order.statusCode()).isEqualTo(200);
        JsonNode row = JSON.readTree(order.body());
        assertThat(row.path("status").asText()).isEqualTo("CONFIRMED");
        assertThat(row.path("payment").asText()).isEqualTo("captured");
        assertThat(row.path("totalCents").asLong()).isEqualTo(42_00);
        assertThat(Long.parseLong(order.headers().firstValue("Strata-Position").orElseThrow())).isGreaterThanOrEqualTo(position);

        JsonNode list = JSON.readTree(get("/orders?min-position=" + position).body());
        assertThat(list.path("orders")).hasSize(1);
        JsonNode stock = JSON.readTree(get("/stock?min-position=" + position).body());
        assertThat(stock.get(0).path("available").asInt()).isEqualTo(4);
        JsonNode counts = JSON.readTree(get("/order-counts?min-position=" + position).body());
        assertThat(counts.path("CONFIRMED").asLong()).isEqualTo(1);
    }

    @Test
    void aRetryWithTheSameIdempotencyKeyGetsTheSameOrder() throws Exception {
        JsonNode first = JSON.readTree(post(ADA, "retry-me").body());
        HttpResponse<String> retry = post(ADA, "retry-me");

        assertThat(retry.statusCode()).isEqualTo(200);
        JsonNode again = JSON.readTree(retry.body());
        assertThat(again.path("orderId").asText()).isEqualTo(first.path("orderId").asText());
        assertThat(again.path("duplicate").asBoolean()).isTrue();
        assertThat(JSON.readTree(get("/order-counts").body()).path("CONFIRMED").asLong()).isEqualTo(1);

        HttpResponse<String> other = post(ADA.replace("\"quantity\":1", "\"quantity\":2"), "retry-me");
        assertThat(other.statusCode()).isEqualTo(409);
        assertThat(other.headers().firstValue("Content-Type")).contains("application/problem+json");
    }

    @Test
    void theCallersTraceContextTravelsWithTheSaga() throws Exception {
        String traceparent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
        HttpResponse<String> placed = http.send(HttpRequest.newBuilder(uri("/orders")).header("Content-Type", "application/json")
                .header("traceparent", traceparent).POST(HttpRequest.BodyPublishers.ofString(ADA)).build(), HttpResponse.BodyHandlers.ofString());

        String id = JSON.readTree(placed.body()).path("orderId").asText();
        List<RecordedEvent> saga = SagaLog.read(shop.store(), PlaceOrderSaga.TYPE, id);
        assertThat(saga).isNotEmpty().allSatisfy(event -> assertThat(event.metadata().traceparent()).contains(traceparent));
        try (Stream<RecordedEvent> commands = shop.store().readStream("payment.commands", 0, Direction.FORWARD, 100)) {
            assertThat(commands.filter(command -> command.metadata().correlationId().filter(id::equals).isPresent()))
                    .singleElement().satisfies(command -> assertThat(command.metadata().traceparent()).contains(traceparent));
        }
    }

    @Test
    void aDeclinedCardAnswersCancelledWithTheReason() throws Exception {
        HttpResponse<String> placed = post(ADA.replace("tok_visa", "tok_chargeDeclined"), null);

        assertThat(placed.statusCode()).isEqualTo(201);
        JsonNode answer = JSON.readTree(placed.body());
        assertThat(answer.path("status").asText()).isEqualTo("CANCELLED");
        assertThat(answer.path("reason").asText()).isEqualTo("card declined");
    }

    @Test
    void badRequestsGetProblemDetailsAndWriteNothing() throws Exception {
        long head = shop.store().headPosition();

        HttpResponse<String> badSku = post(ADA.replace("widget", "spaceship"), null);
        assertThat(badSku.statusCode()).isEqualTo(400);
        assertThat(badSku.headers().firstValue("Content-Type")).contains("application/problem+json");
        JsonNode problem = JSON.readTree(badSku.body());
        assertThat(problem.path("field").asText()).isEqualTo("sku");
        assertThat(problem.path("value").asText()).isEqualTo("spaceship");
        assertThat(problem.path("detail").asText()).isEqualTo("sku must be one of [widget, gadget, gizmo] but was 'spaceship'");

        assertThat(post("{\"customer\":\"ada\"}", null).statusCode()).isEqualTo(400);
        assertThat(post("not json", null).statusCode()).isEqualTo(400);
        assertThat(post(ADA.replace("1,", "0,"), null).statusCode()).isEqualTo(400);
        assertThat(post(ADA.replace("}", ",\"price\":1}"), null).statusCode()).isEqualTo(400);
        assertThat(http.send(HttpRequest.newBuilder(uri("/orders")).header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString(ADA)).build(), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(415);
        assertThat(get("/orders/x?min-position=abc").statusCode()).isEqualTo(400);
        assertThat(get("/orders?min-position=" + (head + 1000)).statusCode()).isEqualTo(400);
        assertThat(get("/orders?status=LOST").statusCode()).isEqualTo(400);
        assertThat(get("/orders/nope").statusCode()).isEqualTo(404);
        assertThat(get("/nothing-here").statusCode()).isEqualTo(404);
        assertThat(http.send(HttpRequest.newBuilder(uri("/orders")).DELETE().build(), HttpResponse.BodyHandlers.ofString()).statusCode())
                .isEqualTo(405);

        assertThat(shop.store().headPosition()).isEqualTo(head);
    }
}
