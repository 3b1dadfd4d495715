package dev.strata.eventstore.remote;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import dev.strata.eventstore.AppendRequest;
import dev.strata.eventstore.AppendResult;
import dev.strata.eventstore.Direction;
import dev.strata.eventstore.EventAppender;
import dev.strata.eventstore.EventData;
import dev.strata.eventstore.EventStore;
import dev.strata.eventstore.ExpectedVersion;
import dev.strata.eventstore.RecordedEvent;
import dev.strata.eventstore.StorageException;
import dev.strata.eventstore.StoreClosedException;
import dev.strata.eventstore.StreamNames;
import dev.strata.eventstore.StreamVersions;
import dev.strata.eventstore.Subscription;
import dev.strata.eventstore.SubscriptionListener;
import dev.strata.eventstore.ValidationException;
import dev.strata.eventstore.cloudevents.CloudEventJson;
import dev.strata.eventstore.cloudevents.CloudEventMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * An {@link EventStore} on a Strata server, over its HTTP API: appends are {@code POST}s of CloudEvents batches with
 * {@code If-Match}/{@code If-None-Match} preconditions, reads are paged {@code GET}s followed lazily, subscriptions
 * are Server-Sent Events streams that reconnect by themselves after a dropped connection, resuming with
 * {@code Last-Event-ID} after the last event delivered (so no gap and no duplicate).
 *
 * <h2>Differences from the embedded store</h2>
 * <ul>
 *   <li>{@link #systemAppender()} refuses every append: the server does not accept appends to {@code $} system
 *       streams from clients. Components that keep system streams (saga logs, relay dead letters) run embedded,
 *       beside the store.</li>
 *   <li>JSON event data travels as JSON and is stored as the server parsed it (compact, insignificant whitespace
 *       removed); other data travels in base64 and is stored byte for byte.</li>
 *   <li>Futures complete on the client's own threads, not the store's writer thread. At most
 *       {@value #ASYNC_APPEND_THREADS} asynchronous appends are in flight at once; more wait, in order, for a
 *       thread (each uses one connection while it is in flight).</li>
 *   <li>A server that cannot be reached is a retryable {@link StorageException}; when it says
 *       {@link StorageException#outcomeUnknown()} the append may have been stored, and a retry with the same event ids
 *       returns the original result.</li>
 * </ul>
 *
 * <p>Thread-safe. {@link #close()} stops the subscriptions and the client's threads; it does not stop the server.
 */
public final class RemoteEventStore implements EventStore {

    static final String BATCH = CloudEventJson.BATCH_CONTENT_TYPE;
    /** Asynchronous appends in flight at most; more wait in order for a thread. */
    static final int ASYNC_APPEND_THREADS = 64;

    private final ServerConnection connection;
    private final String name;
    private final CloudEventJson json;
    private final int pageSize;
    private final Duration heartbeatTimeout;
    private final Duration reconnectDelay;
    private final ExecutorService executor;
    private final ExecutorService asyncAppends;
    private final ScheduledExecutorService watchdog;
    private final Set<RemoteSubscription> subscriptions = ConcurrentHashMap.newKeySet();
    private final AtomicInteger subscriptionIds = new AtomicInteger();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final EventAppender systemAppender = new RefusingSystemAppender();

    private RemoteEventStore(Builder builder) {
        AtomicInteger threads = new AtomicInteger();
        this.executor = Executors.newCachedThreadPool(runnable -> {
            Thread thread = new Thread(runnable, "strata-remote-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        AtomicInteger appenders = new AtomicInteger();
        this.asyncAppends = Executors.newFixedThreadPool(ASYNC_APPEND_THREADS, runnable -> {
            Thread thread = new Thread(runnable, "strata-remote-append-" + appenders.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        this.watchdog = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "strata-remote-watchdog");
            thread.setDaemon(true);
            return thread;
        });
        HttpClient client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(builder.connectTimeout)
                .executor(executor)
                .build();
        this.connection = new ServerConnection(builder.uri, builder.token, builder.requestTimeout, client);
        this.pageSize = builder.pageSize;
        this.heartbeatTimeout = builder.heartbeatTimeout;
        this.reconnectDelay = builder.reconnectDelay;
        try {
            this.name = fetchName();
        } catch (RuntimeException e) {
            executor.shutdownNow();
            asyncAppends.shutdownNow();
            watchdog.shutdownNow();
            throw e;
        }
        this.json = new CloudEventJson(new CloudEventMapper(name));
    }

    /** Connects to the server at {@code uri} (e.g. {@code http://127.0.0.1:7433}) without a token. */
    public static RemoteEventStore connect(URI uri) {
        return builder(uri).connect();
    }

    /** Connects to the server at {@code uri} with a bearer token (null for none). */
    public static RemoteEventStore connect(URI uri, String token) {
        return builder(uri).token(token).connect();
    }

    public static Builder builder(URI uri) {
        return new Builder(uri);
    }

    private String fetchName() {
        HttpResponse<byte[]> response = connection.send(connection.request("/health").GET().build(), false);
        if (response.statusCode() != 200 && response.statusCode() != 503) {
            throw ServerConnection.failure(response, null, null);
        }
        JsonNode health = ServerConnection.json(response.body());
        if (!health.hasNonNull("store")) {
            throw new StorageException("the server at " + connection.base() + " did not say its store's name in /health: "
                    + health, null, false, false);
        }
        return health.get("store").asText();
    }

    @Override
    public String name() {
        return name;
    }

    // ---------------------------------------------------------------- appends

    /*
     * Appends use the client's blocking send, the asynchronous ones on a pool of their own threads: with the JDK's
     * client, 16 threads appending single events got about 2.5 times as many appends through with send() as with
     * sendAsync() (bench/ANALYSIS.md, point 5). The pool's size bounds the requests in flight (and so the connections).
     */

    @Override
    public AppendResult append(String stream, ExpectedVersion expectedVersion, List<EventData> events) {
        return appendResult(connection.send(appendRequest(stream, expectedVersion, events), true), stream, expectedVersion);
    }

    @Override
    public CompletableFuture<AppendResult> appendAsync(String stream, ExpectedVersion expectedVersion, List<EventData> events) {
        HttpRequest request = appendRequest(stream, expectedVersion, events);
        return CompletableFuture.supplyAsync(() -> appendResult(connection.send(request, true), stream, expectedVersion), asyncAppends);
    }

    private HttpRequest appendRequest(String stream, ExpectedVersion expectedVersion, List<EventData> events) {
        requireOpen();
        AppendRequest request = new AppendRequest(stream, expectedVersion, events);
        StreamNames.requireUserStream(stream);
        HttpRequest.Builder http = connection.request("/streams/" + stream)
                .header("Content-Type", BATCH)
                .POST(HttpRequest.BodyPublishers.ofByteArray(json.writeBatch(stream, request.events())));
        precondition(http, expectedVersion);
        return http.build();
    }

    private static AppendResult appendResult(HttpResponse<byte[]> response, String stream, ExpectedVersion expectedVersion) {
        if (response.statusCode() != 201 && response.statusCode() != 200) {
            throw ServerConnection.failure(response, stream, expectedVersion);
        }
        return appendResult(ServerConnection.json(response.body()));
    }

    private static void precondition(HttpRequest.Builder http, ExpectedVersion expected) {
        if (expected instanceof ExpectedVersion.NoStream) {
            http.header("If-None-Match", "*");
        } else if (expected instanceof ExpectedVersion.StreamExists) {
            http.header("If-Match", "*");
        } else if (expected instanceof ExpectedVersion.Exactly exactly) {
            http.header("If-Match", "\"" + exactly.version() + "\"");
        }
    }

    @Override
    public List<AppendResult> appendAll(List<AppendRequest> requests) {
        return appendAllResults(connection.send(appendAllRequest(requests), true), requests);
    }

    @Override
    public CompletableFuture<List<AppendResult>> appendAllAsync(List<AppendRequest> requests) {
        HttpRequest request = appendAllRequest(requests);
        return CompletableFuture.supplyAsync(() -> appendAllResults(connection.send(request, true), requests), asyncAppends);
    }

    private HttpRequest appendAllRequest(List<AppendRequest> requests) {
        requireOpen();
        if (requests == null) {
            throw new ValidationException("requests", null, "must hold at least one stream's events");
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        try (JsonGenerator out = json.factory().createGenerator(body)) {
            out.writeStartArray();
            for (AppendRequest request : requests) {
                if (request == null) {
                    throw new ValidationException("requests", "a null request", "must not contain null");
                }
                StreamNames.requireUserStream(request.stream());
                out.writeStartObject();
                out.writeStringField("stream", request.stream());
                writeExpectedVersion(out, request.expectedVersion());
                out.writeArrayFieldStart("events");
                for (EventData event : request.events()) {
                    json.write(request.stream(), event, out);
                }
                out.writeEndArray();
                out.writeEndObject();
            }
            out.writeEndArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return connection.request("/streams")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()))
                .build();
    }

    private static List<AppendResult> appendAllResults(HttpResponse<byte[]> response, List<AppendRequest> requests) {
        if (response.statusCode() != 201 && response.statusCode() != 200) {
            ExpectedVersion expected = null;
            String stream = null;
            if (response.statusCode() == 412) {
                String conflicted = ServerConnection.json(response.body()).path("stream").asText(null);
                for (AppendRequest request : requests) {
                    if (request.stream().equals(conflicted)) {
                        stream = conflicted;
                        expected = request.expectedVersion();
                    }
                }
            }
            throw ServerConnection.failure(response, stream, expected);
        }
        List<AppendResult> results = new ArrayList<>();
        for (JsonNode result : ServerConnection.json(response.body())) {
            results.add(appendResult(result));
        }
        return results;
    }

    private static void writeExpectedVersion(JsonGenerator out, ExpectedVersion expected) throws IOException {
        if (expected instanceof ExpectedVersion.Exactly exactly) {
            out.writeNumberField("expectedVersion", exactly.version());
        } else if (expected instanceof ExpectedVersion.NoStream) {
            out.writeStringField("expectedVersion", "no-stream");
        } else if (expected instanceof ExpectedVersion.StreamExists) {
            out.writeStringField("expectedVersion", "stream-exists");
        } else {
            out.writeStringField("expectedVersion", "any");
        }
    }

    private static AppendResult appendResult(JsonNode result) {
        return new AppendResult(result.path("stream").asText(), result.path("firstVersion").asLong(),
                result.path("lastVersion").asLong(), result.path("firstPosition").asLong(), result.path("lastPosition").asLong());
    }

    @Override
    public EventAppender systemAppender() {
        return systemAppender;
    }

    /** The HTTP API takes no appends to {@code $} streams: components that keep system streams run embedded. */
    private static final class RefusingSystemAppender implements EventAppender {
        private static ValidationException refused(String stream) {
            return new ValidationException("stream", stream, "cannot be appended to through a Strata server: its HTTP API "
                    + "refuses system ($) streams; run the component that keeps them embedded, beside the store");
        }

        @Override
        public AppendResult append(String stream, ExpectedVersion expectedVersion, List<EventData> events) {
            throw refused(stream);
        }

        @Override
        public CompletableFuture<AppendResult> appendAsync(String stream, ExpectedVersion expectedVersion, List<EventData> events) {
            throw refused(stream);
        }

        @Override
        public List<AppendResult> appendAll(List<AppendRequest> requests) {
            throw refused(requests == null || requests.isEmpty() || requests.get(0) == null ? null : requests.get(0).stream());
        }

        @Override
        public CompletableFuture<List<AppendResult>> appendAllAsync(List<AppendRequest> requests) {
            return CompletableFuture.failedFuture(refused(requests == null || requests.isEmpty() || requests.get(0) == null
                    ? null : requests.get(0).stream()));
        }
    }

    // ---------------------------------------------------------------- reads

    @Override
    public Stream<RecordedEvent> readStream(String stream, long fromVersion, Direction direction, int limit) {
        requireOpen();
        StreamNames.requireReadable(stream);
        requireNonNegative("fromVersion", fromVersion);
        requireLimit(limit);
        if (direction == null) {
            throw new ValidationException("direction", null, "must be FORWARD or BACKWARD");
        }
        boolean forward = direction == Direction.FORWARD;
        return RemotePages.stream(connection, json, limit, pageSize, fromVersion, new RemotePages.Query() {
            @Override
            public String path(long from, int count) {
                return "/streams/" + stream + "?" + (from == StreamVersions.END ? "" : "from=" + from + "&")
                        + "limit=" + count + "&direction=" + (forward ? "forward" : "backward");
            }

            @Override
            public long after(RecordedEvent last) {
                return forward ? last.version() + 1 : last.version() - 1;
            }
        });
    }

    @Override
    public Stream<RecordedEvent> readAll(long fromPosition, int limit) {
        requireOpen();
        requireNonNegative("fromPosition", fromPosition);
        requireLimit(limit);
        return RemotePages.stream(connection, json, limit, pageSize, fromPosition, new RemotePages.Query() {
            @Override
            public String path(long from, int count) {
                return "/all?from=" + from + "&limit=" + count;
            }

            @Override
            public long after(RecordedEvent last) {
                return last.position() + 1;
            }
        });
    }

    @Override
    public Stream<RecordedEvent> readCategory(String category, long fromPosition, int limit) {
        requireOpen();
        StreamNames.requireCategory(category);
        requireNonNegative("fromPosition", fromPosition);
        requireLimit(limit);
        return RemotePages.stream(connection, json, limit, pageSize, fromPosition, new RemotePages.Query() {
            @Override
            public String path(long from, int count) {
                return "/categories/" + category + "?from=" + from + "&limit=" + count;
            }

            @Override
            public long after(RecordedEvent last) {
                return last.position() + 1;
            }
        });
    }

    @Override
    public OptionalLong streamVersion(String stream) {
        requireOpen();
        StreamNames.requireReadable(stream);
        HttpResponse<byte[]> response = connection.send(connection.request("/streams/" + stream)
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), false);
        if (response.statusCode() == 404) {
            return OptionalLong.empty();
        }
        if (response.statusCode() != 200) {
            throw ServerConnection.failure(response, stream, null);
        }
        String etag = response.headers().firstValue("ETag").orElseThrow(() ->
                new StorageException("the server sent no ETag for stream '" + stream + "'", null, false, false));
        return OptionalLong.of(Long.parseLong(etag.replace("\"", "")));
    }

    @Override
    public long headPosition() {
        requireOpen();
        HttpResponse<byte[]> response = connection.send(connection.request("/all")
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), false);
        if (response.statusCode() != 200) {
            throw ServerConnection.failure(response, null, null);
        }
        return response.headers().firstValue(RemotePages.POSITION_HEADER).map(Long::parseLong).orElseThrow(() ->
                new StorageException("the server sent no " + RemotePages.POSITION_HEADER + " header", null, false, false));
    }

    private static void requireNonNegative(String field, long value) {
        if (value < 0) {
            throw new ValidationException(field, value, "must be >= 0");
        }
    }

    private static void requireLimit(int limit) {
        if (limit <= 0) {
            throw new ValidationException("limit", limit, "must be > 0");
        }
    }

    // ---------------------------------------------------------------- subscriptions

    @Override
    public Subscription subscribeToAll(long fromPosition, SubscriptionListener listener) {
        requireOpen();
        requireNonNegative("fromPosition", fromPosition);
        requireListener(listener);
        return start("all", "/all", fromPosition, listener);
    }

    @Override
    public Subscription subscribeToCategory(String category, long fromPosition, SubscriptionListener listener) {
        requireOpen();
        StreamNames.requireCategory(category);
        requireNonNegative("fromPosition", fromPosition);
        requireListener(listener);
        return start("category-" + category, "/categories/" + category, fromPosition, listener);
    }

    @Override
    public Subscription subscribeToStream(String stream, long fromVersion, SubscriptionListener listener) {
        requireOpen();
        StreamNames.requireReadable(stream);
        requireNonNegative("fromVersion", fromVersion);
        requireListener(listener);
        return start("stream-" + stream, "/streams/" + stream, fromVersion, listener);
    }

    private Subscription start(String description, String path, long from, SubscriptionListener listener) {
        RemoteSubscription subscription = new RemoteSubscription(description + "-" + subscriptionIds.incrementAndGet(),
                path, from, listener, connection, json, heartbeatTimeout, reconnectDelay, watchdog, subscriptions::remove);
        subscriptions.add(subscription);
        return subscription.start();
    }

    private static void requireListener(SubscriptionListener listener) {
        if (listener == null) {
            throw new ValidationException("listener", null, "must not be null");
        }
    }

    // ---------------------------------------------------------------- lifecycle

    private void requireOpen() {
        if (closed.get()) {
            throw new StoreClosedException(name);
        }
    }

    /** Stops every subscription (their listeners do not hear of it, as with the embedded store's close()). */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        for (RemoteSubscription subscription : List.copyOf(subscriptions)) {
            subscription.close();
        }
        watchdog.shutdownNow();
        // Not shutdownNow: that would drop queued appends with their futures never completed. They run, and fail
        // (no client any more) or time out within the request timeout.
        asyncAppends.shutdown();
        executor.shutdownNow();
    }

    @Override
    public String toString() {
        return "RemoteEventStore[" + connection.base() + ", store " + name + "]";
    }

    /** Settings of a remote store; only the URI is required. */
    public static final class Builder {
        private final URI uri;
        private String token;
        private Duration connectTimeout = Duration.ofSeconds(5);
        private Duration requestTimeout = Duration.ofSeconds(30);
        private Duration heartbeatTimeout = Duration.ofSeconds(45);
        private Duration reconnectDelay = Duration.ofMillis(100);
        private int pageSize = 1000;

        private Builder(URI uri) {
            this.uri = uri;
        }

        /** The bearer token sent with every request; none by default. */
        public Builder token(String token) {
            this.token = token;
            return this;
        }

        /** How long to wait for a connection; 5 s by default. */
        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = timeout;
            return this;
        }

        /** How long to wait for the answer to a request (not a subscription); 30 s by default. */
        public Builder requestTimeout(Duration timeout) {
            this.requestTimeout = timeout;
            return this;
        }

        /**
         * A subscription that hears nothing for this long (the server sends a heartbeat every 15 s) reconnects;
         * 45 s by default.
         */
        public Builder heartbeatTimeout(Duration timeout) {
            this.heartbeatTimeout = timeout;
            return this;
        }

        /** The first wait before a subscription reconnects; doubled on each failure up to 5 s. 100 ms by default. */
        public Builder reconnectDelay(Duration delay) {
            this.reconnectDelay = delay;
            return this;
        }

        /** How many events a read fetches per request; 1000 by default (the server caps pages, 10,000 by default). */
        public Builder pageSize(int events) {
            this.pageSize = events;
            return this;
        }

        /** Validates the settings, asks the server its store's name ({@code GET /health}) and returns the client. */
        public RemoteEventStore connect() {
            if (uri == null || uri.getScheme() == null || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))
                    || uri.getHost() == null) {
                throw new ValidationException("uri", uri, "must be an absolute http or https URI such as http://127.0.0.1:7433");
            }
            if (uri.getRawPath() != null && !uri.getRawPath().isEmpty() && !uri.getRawPath().equals("/")) {
                throw new ValidationException("uri", uri, "must have no path (the API lives at the server's root)");
            }
            if (token != null && (token.isBlank() || !token.chars().allMatch(c -> c > 0x20 && c < 0x7f))) {
                throw new ValidationException("token", "(not shown)", "must be printable ASCII without spaces");
            }
            requirePositive("connectTimeout", connectTimeout);
            requirePositive("requestTimeout", requestTimeout);
            requirePositive("heartbeatTimeout", heartbeatTimeout);
            requirePositive("reconnectDelay", reconnectDelay);
            if (pageSize <= 0) {
                throw new ValidationException("pageSize", pageSize, "must be > 0");
            }
            return new RemoteEventStore(this);
        }

        private static void requirePositive(String setting, Duration value) {
            if (value == null || value.isNegative() || value.isZero()) {
                throw new ValidationException(setting, value, "must be a positive duration");
            }
        }
    }
}
