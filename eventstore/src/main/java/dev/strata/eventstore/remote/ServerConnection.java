package dev.strata.eventstore.remote;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.strata.eventstore.DuplicateEventIdException;
import dev.strata.eventstore.EventStoreException;
import dev.strata.eventstore.ExpectedVersion;
import dev.strata.eventstore.StorageException;
import dev.strata.eventstore.ValidationException;
import dev.strata.eventstore.WrongExpectedVersionException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;

/**
 * The HTTP side of the remote client: builds requests (base URI, bearer token, timeout), sends them, and turns
 * error answers ({@code application/problem+json}) and I/O failures into the store's typed exceptions. Thread-safe.
 */
final class ServerConnection {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI base;
    private final String authorization;
    private final Duration requestTimeout;
    private final HttpClient client;

    ServerConnection(URI base, String token, Duration requestTimeout, HttpClient client) {
        this.base = base;
        this.authorization = token == null ? null : "Bearer " + token;
        this.requestTimeout = requestTimeout;
        this.client = client;
    }

    HttpClient client() {
        return client;
    }

    URI base() {
        return base;
    }

    /** A request to {@code pathAndQuery} (starting with {@code /}) with the token and the request timeout. */
    HttpRequest.Builder request(String pathAndQuery) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(base.resolve(pathAndQuery)).timeout(requestTimeout);
        if (authorization != null) {
            builder.header("Authorization", authorization);
        }
        return builder;
    }

    /** A request without a timeout, for a subscription's never-ending body. */
    HttpRequest.Builder streamingRequest(String pathAndQuery) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(base.resolve(pathAndQuery));
        if (authorization != null) {
            builder.header("Authorization", authorization);
        }
        return builder;
    }

    /** Sends and waits. I/O failures become a retryable {@link StorageException}. */
    HttpResponse<byte[]> send(HttpRequest request, boolean changesState) {
        try {
            return client.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw unreachable(request, e, changesState);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StorageException("interrupted while waiting for " + describe(request)
                    + (changesState ? "; it may still take effect" : ""), e, true, changesState);
        }
    }

    /**
     * The server could not be reached or did not answer. A request that changes state may have taken effect when
     * the connection was made (a retry with the same event ids is safe); one refused at connect has not.
     */
    static StorageException unreachable(HttpRequest request, IOException e, boolean changesState) {
        boolean neverSent = e instanceof ConnectException || e instanceof HttpConnectTimeoutException;
        return new StorageException("no answer from the Strata server to " + describe(request) + ": " + e,
                e, true, changesState && !neverSent);
    }

    private static String describe(HttpRequest request) {
        return request.method() + " " + request.uri().getRawPath();
    }

    /** What went wrong, from an answer that is not a success. */
    static EventStoreException failure(HttpResponse<byte[]> response, String stream, ExpectedVersion expected) {
        return failure(response, response.body(), stream, expected);
    }

    /** As {@link #failure(HttpResponse, String, ExpectedVersion)}, for an answer whose body was read separately. */
    static EventStoreException failure(HttpResponse<?> response, byte[] body, String stream, ExpectedVersion expected) {
        int status = response.statusCode();
        JsonNode problem = problem(response, body);
        String type = text(problem, "type", "about:blank");
        String detail = text(problem, "detail", text(problem, "title", "HTTP " + status));
        ProblemType known = ProblemType.fromUri(type);
        if (known == null) {
            known = type.equals("about:blank") || problem == null ? ProblemType.forStatus(status) : null;
        }
        if (known != null) {
            switch (known) {
                case INVALID_INPUT -> {
                    if (problem != null && problem.hasNonNull("field")) {
                        return new ValidationException(problem.get("field").asText(), text(problem, "value", null),
                                text(problem, "rule", detail));
                    }
                    return new ValidationException("request", response.request().uri().getRawPath(), detail);
                }
                case WRONG_EXPECTED_VERSION -> {
                    if (problem != null && problem.has("actualVersion")) {
                        return new WrongExpectedVersionException(text(problem, "stream", stream),
                                expected != null ? expected : ExpectedVersion.any(), problem.get("actualVersion").asLong());
                    }
                }
                case DUPLICATE_EVENT_ID -> {
                    if (problem != null && problem.hasNonNull("eventId")) {
                        return new DuplicateEventIdException(UUID.fromString(problem.get("eventId").asText()),
                                text(problem, "stream", stream), text(problem, "storedStream", "?"),
                                problem.path("storedPosition").asLong(-1), text(problem, "reason", "it is not a retry"));
                    }
                }
                case STORAGE_FAILURE -> {
                    return new StorageException(detail, null, problem != null && problem.path("retryable").asBoolean(),
                            problem != null && problem.path("outcomeUnknown").asBoolean());
                }
                case UNAVAILABLE -> {
                    // Refused before it reached the store (starting, stopping): nothing happened, try again later.
                    return new StorageException("the Strata server is unavailable: " + detail, null, true, false);
                }
                default -> {
                }
            }
        }
        return new RemoteStoreException(status, type, "HTTP " + status + " from " + describe(response.request()) + ": " + detail,
                retryAfter(response));
    }

    private static JsonNode problem(HttpResponse<?> response, byte[] body) {
        boolean json = response.headers().firstValue("Content-Type").map(t -> t.startsWith(ProblemType.MEDIA_TYPE)).orElse(false);
        if (!json || body == null || body.length == 0) {
            return null;
        }
        try {
            JsonNode node = JSON.readTree(body);
            return node != null && node.isObject() ? node : null;
        } catch (IOException e) {
            return null;
        }
    }

    static Duration retryAfter(HttpResponse<?> response) {
        return response.headers().firstValue("Retry-After").map(value -> {
            try {
                return Duration.ofSeconds(Long.parseLong(value.trim()));
            } catch (NumberFormatException e) {
                return null;
            }
        }).orElse(null);
    }

    private static String text(JsonNode node, String field, String otherwise) {
        return node != null && node.hasNonNull(field) ? node.get(field).asText() : otherwise;
    }

    static JsonNode json(byte[] body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new StorageException("the Strata server answered with malformed JSON: "
                    + new String(body, 0, Math.min(body.length, 200), StandardCharsets.UTF_8), e, false, false);
        }
    }

    static ObjectMapper mapper() {
        return JSON;
    }
}
