package dev.strata.relay;

import dev.strata.eventstore.ValidationException;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.format.EventFormat;
import io.cloudevents.core.provider.EventFormatProvider;
import io.cloudevents.http.HttpMessageFactory;
import io.cloudevents.jackson.JsonFormat;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Publishes to a webhook with the CloudEvents HTTP binding: one {@code POST} per event, binary content mode by default
 * ({@code ce-*} headers, the data as the body with its own {@code Content-Type}) or structured
 * ({@code application/cloudevents+json}); or, with {@link Builder#batched(int)}, up to n events per {@code POST} as an
 * {@code application/cloudevents-batch+json} array.
 *
 * <h2>Answers</h2>
 * <ul>
 *   <li>2xx: acknowledged.</li>
 *   <li>408, 429, 5xx, a timeout or a connection failure: retryable; the relay backs off, at least as long as the
 *       {@code Retry-After} header says (seconds or an HTTP date).</li>
 *   <li>Any other status (4xx, 3xx: redirects are not followed): the event is refused for good and goes to the
 *       dead-letter stream, no retry. A refused batch is sent again event by event, so that only the events the
 *       endpoint refuses on their own are dead-lettered.</li>
 * </ul>
 * Requests go one after the other, in order: an event is sent only after the one before it was acknowledged.
 */
public final class HttpSink implements EventSink {

    public static final String BATCH_CONTENT_TYPE = "application/cloudevents-batch+json";
    private static final Set<String> RESTRICTED_HEADERS = Set.of("content-length", "host", "connection", "expect", "upgrade");

    private final URI endpoint;
    private final ContentMode mode;
    private final int batchSize;
    private final Duration timeout;
    private final Map<String, String> headers;
    private final HttpClient client;
    private final EventFormat json = EventFormatProvider.getInstance().resolveFormat(JsonFormat.CONTENT_TYPE);

    private HttpSink(Builder b) {
        this.endpoint = b.endpoint;
        this.mode = b.mode;
        this.batchSize = b.batchSize;
        this.timeout = b.timeout;
        this.headers = Map.copyOf(b.headers);
        this.client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(b.timeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    public static Builder builder(URI endpoint) {
        return new Builder(endpoint);
    }

    @Override
    public String describe() {
        return "http " + endpoint + (batchSize > 1 ? " (batches of " + batchSize + ")" : " (" + mode.name().toLowerCase() + ")");
    }

    @Override
    public void publish(List<CloudEvent> events) {
        int done = 0;
        while (done < events.size()) {
            if (batchSize > 1) {
                List<CloudEvent> chunk = events.subList(done, Math.min(events.size(), done + batchSize));
                Answer answer = send(batchRequest(chunk), done);
                if (answer.ok()) {
                    done += chunk.size();
                    continue;
                }
                // Refused as a whole: find out which events the endpoint refuses on their own.
                for (CloudEvent event : chunk) {
                    sendOne(event, done++);
                }
            } else {
                sendOne(events.get(done), done);
                done++;
            }
        }
    }

    /** Sends one event alone; a refusal names its index in the published list. */
    private void sendOne(CloudEvent event, int index) {
        Answer answer = send(singleRequest(event), index);
        if (!answer.ok()) {
            throw new EventRejectedException(index, answer.describe(), null);
        }
    }

    /** The answer to one request that was not retryable: 2xx, or a refusal. Retryable outcomes are thrown. */
    private record Answer(int status, String body) {
        boolean ok() {
            return status / 100 == 2;
        }

        String describe() {
            return "HTTP " + status + (body.isBlank() ? "" : ": " + body);
        }
    }

    private Answer send(HttpRequest request, int acknowledged) {
        HttpResponse<String> response;
        try {
            response = client.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (HttpTimeoutException e) {
            throw new SinkException("no answer from " + endpoint + " within " + timeout.toMillis() + " ms", true, null, acknowledged, e);
        } catch (IOException e) {
            throw new SinkException("cannot reach " + endpoint + ": " + e, true, null, acknowledged, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SinkException("interrupted while posting to " + endpoint, true, null, acknowledged, e);
        }
        int status = response.statusCode();
        String body = response.body() == null ? "" : response.body();
        body = body.length() > 200 ? body.substring(0, 200) + "..." : body;
        if (status == 408 || status == 429 || status >= 500) {
            Duration retryAfter = response.headers().firstValue("Retry-After").flatMap(HttpSink::parseRetryAfter).orElse(null);
            throw new SinkException(endpoint + " answered HTTP " + status + (retryAfter == null ? "" : " (Retry-After "
                    + retryAfter.toSeconds() + " s)"), true, retryAfter, acknowledged, null);
        }
        return new Answer(status, body.replace('\n', ' '));
    }

    /** {@code Retry-After}: delay-seconds or an HTTP-date (RFC 9110 10.2.3). */
    static Optional<Duration> parseRetryAfter(String value) {
        String text = value.trim();
        try {
            long seconds = Long.parseLong(text);
            return seconds < 0 ? Optional.empty() : Optional.of(Duration.ofSeconds(seconds));
        } catch (NumberFormatException notSeconds) {
            try {
                Instant at = ZonedDateTime.parse(text, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
                Duration wait = Duration.between(Instant.now(), at);
                return Optional.of(wait.isNegative() ? Duration.ZERO : wait);
            } catch (DateTimeParseException notADate) {
                return Optional.empty();
            }
        }
    }

    private HttpRequest singleRequest(CloudEvent event) {
        HttpRequest.Builder request = base();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        var writer = HttpMessageFactory.createWriter(request::header, bytes -> body.writeBytes(bytes == null ? new byte[0] : bytes));
        if (mode == ContentMode.BINARY) {
            writer.writeBinary(event);
        } else {
            writer.writeStructured(event, json);
        }
        return request.POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build();
    }

    private HttpRequest batchRequest(List<CloudEvent> events) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write('[');
        for (int i = 0; i < events.size(); i++) {
            if (i > 0) {
                body.write(',');
            }
            body.writeBytes(json.serialize(events.get(i)));
        }
        body.write(']');
        return base().header("Content-Type", BATCH_CONTENT_TYPE)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build();
    }

    private HttpRequest.Builder base() {
        HttpRequest.Builder request = HttpRequest.newBuilder(endpoint).timeout(timeout);
        headers.forEach(request::header);
        return request;
    }

    @Override
    public void close() {
        // HttpClient has no close() before Java 21; its threads end when it is unreachable.
    }

    /** Settings of a webhook sink; {@link #build()} validates them. */
    public static final class Builder {
        private final URI endpoint;
        private ContentMode mode = ContentMode.BINARY;
        private int batchSize = 1;
        private Duration timeout = Duration.ofSeconds(10);
        private final Map<String, String> headers = new LinkedHashMap<>();

        private Builder(URI endpoint) {
            this.endpoint = endpoint;
        }

        /** {@link ContentMode#BINARY} by default; ignored in batched mode (a batch is always structured JSON). */
        public Builder contentMode(ContentMode mode) {
            this.mode = mode;
            return this;
        }

        /** Up to {@code events} events per request as one JSON array; 1 (one event per request) by default. */
        public Builder batched(int events) {
            this.batchSize = events;
            return this;
        }

        /** The longest wait for a connection and for an answer; 10 s by default. Past it, the request is retried. */
        public Builder timeout(Duration timeout) {
            this.timeout = timeout;
            return this;
        }

        /** A header sent with every request, e.g. {@code Authorization}. */
        public Builder header(String name, String value) {
            if (name == null || name.isBlank() || RESTRICTED_HEADERS.contains(name.toLowerCase())
                    || name.toLowerCase().startsWith("ce-") || name.equalsIgnoreCase("content-type")) {
                throw new ValidationException("header", name, "must be a header name other than Content-Type, ce-* and "
                        + RESTRICTED_HEADERS);
            }
            if (value == null) {
                throw new ValidationException("header " + name, null, "must not be null");
            }
            headers.put(name, value);
            return this;
        }

        public HttpSink build() {
            if (endpoint == null || endpoint.getScheme() == null
                    || !(endpoint.getScheme().equals("http") || endpoint.getScheme().equals("https")) || endpoint.getHost() == null) {
                throw new ValidationException("endpoint", endpoint, "must be an absolute http:// or https:// URL");
            }
            if (mode == null) {
                throw new ValidationException("contentMode", null, "must be BINARY or STRUCTURED");
            }
            if (batchSize < 1 || batchSize > 10_000) {
                throw new ValidationException("batched", batchSize, "must be between 1 and 10000 events per request");
            }
            if (timeout == null || timeout.isNegative() || timeout.isZero()) {
                throw new ValidationException("timeout", timeout, "must be a positive duration");
            }
            return new HttpSink(this);
        }
    }
}
