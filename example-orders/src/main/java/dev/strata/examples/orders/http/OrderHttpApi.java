package dev.strata.examples.orders.http;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.strata.eventstore.Metadata;
import dev.strata.eventstore.ValidationException;
import dev.strata.eventstore.model.EventTypesBuilder;
import dev.strata.examples.orders.OrderBeingPlacedException;
import dev.strata.examples.orders.OrderIdInUseException;
import dev.strata.examples.orders.OrderIds;
import dev.strata.examples.orders.OrderRequest;
import dev.strata.examples.orders.OrderSystem;
import dev.strata.examples.orders.PlacedOrder;
import dev.strata.examples.orders.order.OrderStatus;
import dev.strata.examples.orders.readmodel.OrderSummary;
import dev.strata.examples.orders.readmodel.StockLevel;
import dev.strata.projections.ProjectionStoppedException;
import dev.strata.projections.ProjectionTimeoutException;
import dev.strata.projections.ReadModel;
import dev.strata.projections.Row;
import dev.strata.saga.SagaStatus;
import dev.strata.saga.SagaSummary;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The shop's HTTP API, small on purpose (the JDK's own HTTP server, JSON through Jackson):
 *
 * <pre>
 * POST /orders                       place an order: {"customer","sku","quantity","card"}; header Idempotency-Key makes
 *                                    a retry safe. 201 (200 for a retry) with the outcome and a position; 202 if the
 *                                    saga is still running after a few seconds.
 * GET  /orders/{id}?min-position=P   one order from the order list, once that read model has applied position P
 * GET  /orders?min-position=P&amp;status=S&amp;limit=N   the order list
 * GET  /stock, GET /order-counts     the other two read models (also take min-position)
 * </pre>
 *
 * A W3C {@code traceparent} (and {@code tracestate}) on the POST is carried into the saga's events and messages.
 * Every answer carries {@code Strata-Position}: for a write, the position to wait for; for a read, the position the
 * read model had applied. Errors are {@code application/problem+json} (RFC 9457) naming the field, value and rule.
 */
public final class OrderHttpApi implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(OrderHttpApi.class);
    private static final ObjectMapper JSON = EventTypesBuilder.defaultObjectMapper().copy()
            .setSerializationInclusion(JsonInclude.Include.NON_NULL);
    private static final int MAX_BODY = 64 * 1024;
    private static final int MAX_LIMIT = 1000;
    private static final Duration OUTCOME_WAIT = Duration.ofSeconds(5);
    private static final Duration READ_WAIT = Duration.ofSeconds(5);

    private final OrderSystem shop;
    private final HttpServer server;
    private final ExecutorService threads;

    /** The body of {@code POST /orders}. Unknown fields are refused. */
    record NewOrder(String customer, String sku, Integer quantity, String card) {
    }

    private OrderHttpApi(OrderSystem shop, HttpServer server, ExecutorService threads) {
        this.shop = shop;
        this.server = server;
        this.threads = threads;
    }

    /** Serves {@code shop} on 127.0.0.1:{@code port} (0: any free port). */
    public static OrderHttpApi start(OrderSystem shop, int port) {
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on 127.0.0.1:" + port + ": " + e.getMessage(), e);
        }
        AtomicInteger count = new AtomicInteger();
        ExecutorService threads = Executors.newFixedThreadPool(8, task -> {
            Thread thread = new Thread(task, "orders-http-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        OrderHttpApi api = new OrderHttpApi(shop, server, threads);
        server.createContext("/", api::handle);
        server.setExecutor(threads);
        server.start();
        return api;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            try {
                route(exchange);
            } catch (ValidationException e) {
                problem(exchange, 400, "Invalid request", e.getMessage(), Map.of("field", e.field(), "value", e.value(), "rule", e.rule()));
            } catch (OrderBeingPlacedException e) {
                exchange.getResponseHeaders().set("Retry-After", "1");
                problem(exchange, 503, "Order being placed", e.getMessage(), Map.of());
            } catch (OrderIdInUseException e) {
                problem(exchange, 409, "Idempotency key reused for another order", e.getMessage(), Map.of("orderId", e.orderId()));
            } catch (ProjectionTimeoutException e) {
                exchange.getResponseHeaders().set("Retry-After", "1");
                problem(exchange, 503, "Read model not there yet", e.getMessage(), Map.of());
            } catch (ProjectionStoppedException e) {
                problem(exchange, 503, "Read model stopped", e.getMessage(), Map.of());
            } catch (RuntimeException e) {
                LOG.error("{} {} failed", exchange.getRequestMethod(), exchange.getRequestURI(), e);
                problem(exchange, 500, "Internal error", e.toString(), Map.of());
            }
        }
    }

    private void route(HttpExchange exchange) throws IOException {
        String method = exchange.getRequestMethod();
        String path = exchange.getRequestURI().getPath();
        Map<String, String> query = query(exchange.getRequestURI());
        if (path.equals("/orders")) {
            if (method.equals("POST")) {
                placeOrder(exchange);
            } else if (method.equals("GET")) {
                listOrders(exchange, query);
            } else {
                notAllowed(exchange, "GET, POST");
            }
        } else if (path.startsWith("/orders/") && path.indexOf('/', "/orders/".length()) < 0) {
            if (method.equals("GET")) {
                getOrder(exchange, path.substring("/orders/".length()), query);
            } else {
                notAllowed(exchange, "GET");
            }
        } else if (path.equals("/stock") || path.equals("/order-counts")) {
            if (!method.equals("GET")) {
                notAllowed(exchange, "GET");
            } else if (path.equals("/stock")) {
                ReadModel<String, StockLevel> stock = atLeast(shop.stockLevels(), query);
                respond(exchange, 200, stock.position(), stock.scanPrefix("", MAX_LIMIT).stream().map(Row::value).toList());
            } else {
                ReadModel<String, Long> counts = atLeast(shop.orderCounts(), query);
                Map<String, Long> body = new LinkedHashMap<>();
                for (OrderStatus status : List.of(OrderStatus.PLACED, OrderStatus.CONFIRMED, OrderStatus.CANCELLED)) {
                    body.put(status.name(), counts.get(status.name()).orElse(0L));
                }
                respond(exchange, 200, counts.position(), body);
            }
        } else {
            problem(exchange, 404, "Not found", "no resource at " + path + " (try /orders, /stock, /order-counts)", Map.of());
        }
    }

    private void placeOrder(HttpExchange exchange) throws IOException {
        String contentType = Optional.ofNullable(exchange.getRequestHeaders().getFirst("Content-Type")).orElse("");
        if (!contentType.toLowerCase().startsWith("application/json")) {
            problem(exchange, 415, "Unsupported media type", "the body must be application/json, not '" + contentType + "'", Map.of());
            return;
        }
        byte[] body = readBody(exchange);
        if (body == null) {
            problem(exchange, 413, "Body too large", "an order is at most " + MAX_BODY + " bytes", Map.of());
            return;
        }
        NewOrder order;
        try {
            order = JSON.readValue(body, NewOrder.class);
        } catch (JsonProcessingException e) {
            throw new ValidationException("body", new String(body, StandardCharsets.UTF_8),
                    "must be an order {\"customer\",\"sku\",\"quantity\",\"card\"} (" + e.getOriginalMessage() + ")");
        }
        if (order == null) {
            throw new ValidationException("body", "", "must be an order {\"customer\",\"sku\",\"quantity\",\"card\"}");
        }
        if (order.quantity() == null) {
            throw new ValidationException("quantity", null, "must be set");
        }
        String key = exchange.getRequestHeaders().getFirst("Idempotency-Key");
        if (key != null && (key.isBlank() || key.length() > 255)) {
            throw new ValidationException("Idempotency-Key", key, "must be 1 to 255 characters");
        }
        String orderId = key == null ? OrderIds.random() : OrderIds.fromIdempotencyKey(key);
        PlacedOrder placed = shop.placeOrder(new OrderRequest(orderId, order.customer(), order.sku(), order.quantity(), order.card()),
                trace(exchange));

        // The saga's participants are in this process and answer in milliseconds: wait a little for the outcome, so the
        // answer says CONFIRMED or CANCELLED; a slow saga gets 202 and the client reads the order later.
        SagaSummary outcome = null;
        try {
            outcome = placed.outcome().get(OUTCOME_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            // still running: 202 below
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.ExecutionException e) {
            LOG.warn("Order {}: its saga stopped being driven: {}", orderId, e.getCause().toString());
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("orderId", orderId);
        long position = placed.position();
        int status = 202;
        if (outcome != null) {
            position = outcome.lastPosition();
            status = placed.duplicate() ? 200 : 201;
            answer.put("status", switch (outcome.status()) {
                case COMPLETED -> OrderStatus.CONFIRMED.name();
                case COMPENSATED -> OrderStatus.CANCELLED.name();
                default -> outcome.status().name();
            });
            if (outcome.status() == SagaStatus.COMPENSATED) {
                shop.orderList().atLeast(position, READ_WAIT).get(orderId).map(OrderSummary::reason)
                        .ifPresent(reason -> answer.put("reason", reason));
            }
        } else {
            answer.put("status", "PENDING");
        }
        answer.put("duplicate", placed.duplicate());
        answer.put("position", position);
        answer.put("href", "/orders/" + orderId + "?min-position=" + position);
        exchange.getResponseHeaders().set("Location", "/orders/" + orderId);
        respond(exchange, status, position, answer);
    }

    /** The caller's W3C trace context, carried into the saga's events (a malformed one is bad input). */
    private static Metadata trace(HttpExchange exchange) {
        Metadata trace = Metadata.empty();
        for (String header : List.of(Metadata.TRACEPARENT, Metadata.TRACESTATE)) {
            String value = exchange.getRequestHeaders().getFirst(header);
            if (value != null) {
                trace = trace.with(header, value);
            }
        }
        return trace;
    }

    private void getOrder(HttpExchange exchange, String orderId, Map<String, String> query) throws IOException {
        ReadModel<String, OrderSummary> orders = atLeast(shop.orderList(), query);
        Optional<OrderSummary> order = orders.get(orderId);
        if (order.isEmpty()) {
            problem(exchange, 404, "No such order", "no order " + orderId + " in the order list at position " + orders.position(),
                    Map.of("orderId", orderId));
            return;
        }
        respond(exchange, 200, orders.position(), order.get());
    }

    private void listOrders(HttpExchange exchange, Map<String, String> query) throws IOException {
        ReadModel<String, OrderSummary> orders = atLeast(shop.orderList(), query);
        int limit = (int) number(query, "limit", 100, 1, MAX_LIMIT);
        OrderStatus status = null;
        if (query.containsKey("status")) {
            try {
                status = OrderStatus.valueOf(query.get("status"));
            } catch (IllegalArgumentException e) {
                throw new ValidationException("status", query.get("status"), "must be one of PLACED, CONFIRMED, CANCELLED");
            }
        }
        OrderStatus wanted = status;
        List<OrderSummary> rows = orders.scanPrefix("", wanted == null ? limit : Integer.MAX_VALUE).stream().map(Row::value)
                .filter(row -> wanted == null || row.status() == wanted).limit(limit).toList();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("position", orders.position());
        body.put("orders", rows);
        respond(exchange, 200, orders.position(), body);
    }

    /**
     * The read model, waiting for {@code min-position} first if the client asked (read-your-writes). A position beyond
     * the store's head was not handed out by this store: refused at once rather than waited for.
     */
    private <K, V> ReadModel<K, V> atLeast(ReadModel<K, V> model, Map<String, String> query) {
        if (!query.containsKey("min-position")) {
            return model;
        }
        long head = shop.store().headPosition();
        return model.atLeast(number(query, "min-position", 0, 0, Math.max(0, head)), READ_WAIT);
    }

    private static long number(Map<String, String> query, String name, long byDefault, long min, long max) {
        String text = query.get(name);
        if (text == null) {
            return byDefault;
        }
        try {
            long value = Long.parseLong(text);
            if (value >= min && value <= max) {
                return value;
            }
        } catch (NumberFormatException e) {
            // the message below says what is allowed
        }
        throw new ValidationException(name, text, "must be a whole number from " + min + " to " + max);
    }

    private static Map<String, String> query(URI uri) {
        Map<String, String> parameters = new LinkedHashMap<>();
        String raw = uri.getRawQuery();
        if (raw == null || raw.isEmpty()) {
            return parameters;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            parameters.put(name, value);
        }
        return parameters;
    }

    /** The body, or null if it is larger than {@link #MAX_BODY}. */
    private static byte[] readBody(HttpExchange exchange) throws IOException {
        try (InputStream in = exchange.getRequestBody()) {
            byte[] body = in.readNBytes(MAX_BODY + 1);
            return body.length > MAX_BODY ? null : body;
        }
    }

    private static void notAllowed(HttpExchange exchange, String allowed) throws IOException {
        exchange.getResponseHeaders().set("Allow", allowed);
        problem(exchange, 405, "Method not allowed", exchange.getRequestMethod() + " is not allowed here; use " + allowed, Map.of());
    }

    private static void respond(HttpExchange exchange, int status, long position, Object body) throws IOException {
        exchange.getResponseHeaders().set("Strata-Position", Long.toString(position));
        send(exchange, status, "application/json", JSON.writeValueAsBytes(body));
    }

    private static void problem(HttpExchange exchange, int status, String title, String detail, Map<String, String> extra)
            throws IOException {
        ObjectNode problem = JSON.createObjectNode();
        problem.put("type", "about:blank");
        problem.put("title", title);
        problem.put("status", status);
        problem.put("detail", detail);
        extra.forEach(problem::put);
        send(exchange, status, "application/problem+json", JSON.writeValueAsBytes(problem));
    }

    private static void send(HttpExchange exchange, int status, String contentType, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
