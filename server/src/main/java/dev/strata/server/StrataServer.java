package dev.strata.server;

import dev.strata.eventstore.Durability;
import dev.strata.eventstore.EventStore;
import dev.strata.eventstore.ValidationException;
import dev.strata.eventstore.cloudevents.CloudEventJson;
import dev.strata.eventstore.cloudevents.CloudEventMapper;
import dev.strata.server.internal.ApiContext;
import dev.strata.server.internal.ApiHandler;
import dev.strata.server.internal.HttpMetrics;
import dev.strata.server.internal.Limits;
import dev.strata.server.internal.ProblemErrorHandler;
import dev.strata.server.internal.Subscriptions;
import dev.strata.server.internal.TokenBuckets;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.server.handler.SizeLimitHandler;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Strata store served over HTTP: opens the store in a data folder, serves the API (docs/server.md) on an address
 * and port, and logs one line when it is ready. {@link #close()} stops gracefully: it stops accepting, answers 503 to
 * new requests, lets the requests in flight finish (appends included) and ends subscriptions cleanly, then closes
 * the store (which syncs the log). {@code strata server} closes it on SIGTERM.
 *
 * <pre>
 * try (StrataServer server = StrataServer.builder().dataDirectory(Path.of("data")).port(0).start()) {
 *     EventStore remote = RemoteEventStore.connect(server.uri());
 *     ...
 * }
 * </pre>
 */
public final class StrataServer implements AutoCloseable {

    public static final int DEFAULT_PORT = 7433;
    private static final Logger LOG = LoggerFactory.getLogger(StrataServer.class);

    private final Builder settings;
    private final PrometheusMeterRegistry registry;
    private final EventStore store;
    private final Server jetty;
    private final ServerConnector connector;
    private final Subscriptions subscriptions;
    private final ScheduledExecutorService timer;
    private final JvmGcMetrics gcMetrics;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final CountDownLatch stopped = new CountDownLatch(1);

    private StrataServer(Builder settings) throws Exception {
        this.settings = settings;
        this.registry = settings.meterRegistry != null ? settings.meterRegistry : new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        this.gcMetrics = new JvmGcMetrics();
        gcMetrics.bindTo(registry);
        this.store = EventStore.builder()
                .directory(settings.dataDirectory)
                .durability(settings.durability)
                .maxEventSize(settings.maxEventBytes)
                .maxAppendBytes(Math.max(settings.maxEventBytes, Math.min(settings.maxBodyBytes, 64 << 20)))
                .meterRegistry(registry)
                .open();
        try {
            QueuedThreadPool threads = new QueuedThreadPool(settings.maxThreads, Math.min(8, settings.maxThreads));
            threads.setName("strata-http");
            this.jetty = new Server(threads);
            HttpConfiguration http = new HttpConfiguration();
            http.setRequestHeaderSize(settings.maxHeaderBytes);   // a larger request head: 431
            http.setSendServerVersion(false);
            http.setSendXPoweredBy(false);
            // The router reads the raw path and refuses bad stream names itself, naming the rule (400), rather than
            // have Jetty decode or reject %2F, %00 or .. segments on its own terms.
            http.setUriCompliance(UriCompliance.UNSAFE);
            this.connector = new ServerConnector(jetty, new HttpConnectionFactory(http));
            connector.setHost(settings.bind);
            connector.setPort(settings.port);
            connector.setIdleTimeout(settings.idleTimeout.toMillis()); // also fails a write a client does not drain
            connector.setShutdownIdleTimeout(200);                      // on stop, idle keep-alive connections close soon
            jetty.addConnector(connector);

            HttpMetrics metrics = new HttpMetrics(registry);
            Limits limits = new Limits(settings.maxBodyBytes, settings.maxPageEvents, Math.min(1000, settings.maxPageEvents),
                    4 << 20, settings.heartbeat);
            TokenBuckets buckets = settings.rateLimit == null ? null : new TokenBuckets(settings.rateLimit, System::nanoTime);
            ApiContext context = new ApiContext(store, settings.durability, new CloudEventJson(new CloudEventMapper(store.name())),
                    limits, metrics, threads, settings.accessTokens, buckets, registry::scrape);
            this.subscriptions = new Subscriptions(context);
            SizeLimitHandler sizeLimit = new SizeLimitHandler(settings.maxBodyBytes, -1); // 413 by Content-Length or counted
            sizeLimit.setHandler(new ApiHandler(context, subscriptions));
            jetty.setHandler(new GracefulHandler(sizeLimit));           // 503 for new requests while stopping
            jetty.addBean(subscriptions);                                // a Graceful: ends SSE streams on stop
            jetty.setErrorHandler(new ProblemErrorHandler());
            jetty.setStopTimeout(settings.stopTimeout.toMillis());
            jetty.setStopAtShutdown(false);                              // strata server stops us, then closes the store
            jetty.start();

            this.timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
                Thread thread = new Thread(runnable, "strata-server-timer");
                thread.setDaemon(true);
                return thread;
            });
            long tick = Math.max(1, Math.min(Subscriptions.TICK_MILLIS, settings.heartbeat.toMillis() / 4));
            timer.scheduleWithFixedDelay(this::tick, tick, tick, TimeUnit.MILLISECONDS);
            if (buckets != null) {
                timer.scheduleWithFixedDelay(buckets::forgetIdle, 60, 60, TimeUnit.SECONDS);
            }
        } catch (Exception | Error e) {
            store.close();
            gcMetrics.close();
            throw e;
        }
        LOG.info("Strata server ready on {} (data {}, durability {}, store '{}', auth {}, rate limit {})", uri(),
                settings.dataDirectory.toAbsolutePath().normalize(), settings.durability, store.name(),
                settings.accessTokens == null ? "off" : settings.accessTokens, settings.rateLimit == null ? "off" : settings.rateLimit);
    }

    public static Builder builder() {
        return new Builder();
    }

    private void tick() {
        try {
            subscriptions.tick();
        } catch (RuntimeException e) {
            LOG.warn("Subscription tick failed: {}", e.toString());
        }
    }

    /** Where the server listens, e.g. {@code http://127.0.0.1:7433}. */
    public URI uri() {
        String host = settings.bind.contains(":") ? "[" + settings.bind + "]" : settings.bind;
        return URI.create("http://" + host + ":" + port());
    }

    /** The port it listens on (the one the system chose when started with port 0). */
    public int port() {
        return connector.getLocalPort();
    }

    /** The store it serves, for code running in the same process. */
    public EventStore store() {
        return store;
    }

    public PrometheusMeterRegistry meterRegistry() {
        return registry;
    }

    /** Open Server-Sent Events subscriptions. */
    public int openSubscriptions() {
        return subscriptions.openCount();
    }

    /** Waits until {@link #close()} has finished. */
    public void awaitStopped() throws InterruptedException {
        stopped.await();
    }

    /**
     * Stops gracefully: no new connections, 503 for new requests, in-flight requests (appends) finish and
     * subscriptions end within the stop timeout; then the store closes (syncs). Idempotent.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            try {
                stopped.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return;
        }
        long start = System.nanoTime();
        try {
            try {
                jetty.stop();
            } catch (Exception e) {
                LOG.warn("The HTTP server did not stop cleanly: {}", e.toString());
            }
            timer.shutdownNow();
            store.close();
            gcMetrics.close();
            LOG.info("Strata server stopped in {} ms; store '{}' closed", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start),
                    store.name());
        } finally {
            stopped.countDown();
        }
    }

    /** The server's settings: only the data directory is required. {@link #start()} validates them all. */
    public static final class Builder {
        private Path dataDirectory;
        private String bind = "127.0.0.1";
        private int port = DEFAULT_PORT;
        private Durability durability = Durability.FSYNC;
        private AccessTokens accessTokens;
        private RateLimit rateLimit;
        private int maxBodyBytes = 16 << 20;
        private int maxEventBytes = 1 << 20;
        private int maxPageEvents = 10_000;
        private int maxHeaderBytes = 16 << 10;
        private int maxThreads = 200;
        private Duration heartbeat = Duration.ofSeconds(15);
        private Duration idleTimeout = Duration.ofSeconds(60);
        private Duration stopTimeout = Duration.ofSeconds(10);
        private PrometheusMeterRegistry meterRegistry;

        private Builder() {
        }

        /** The store's folder; created if missing. Required. */
        public Builder dataDirectory(Path directory) {
            this.dataDirectory = directory;
            return this;
        }

        /** The address to listen on; 127.0.0.1 by default. Anything but loopback needs access tokens. */
        public Builder bind(String address) {
            this.bind = address;
            return this;
        }

        /** The port; 7433 by default, 0 for any free port. */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        public Builder durability(Durability durability) {
            this.durability = durability;
            return this;
        }

        /** Bearer tokens and their permissions; none (auth off) by default. */
        public Builder accessTokens(AccessTokens tokens) {
            this.accessTokens = tokens;
            return this;
        }

        /** A token bucket per client; none by default. */
        public Builder rateLimit(RateLimit limit) {
            this.rateLimit = limit;
            return this;
        }

        /** The largest request body; 16 MiB by default (413 above). */
        public Builder maxBodyBytes(int bytes) {
            this.maxBodyBytes = bytes;
            return this;
        }

        /** The largest event data; 1 MiB by default (400 above). */
        public Builder maxEventBytes(int bytes) {
            this.maxEventBytes = bytes;
            return this;
        }

        /** The most events a read page returns; 10,000 by default (a larger limit is capped). */
        public Builder maxPageEvents(int events) {
            this.maxPageEvents = events;
            return this;
        }

        /** The largest request line and headers; 16 KiB by default (431 above). */
        public Builder maxHeaderBytes(int bytes) {
            this.maxHeaderBytes = bytes;
            return this;
        }

        /** The most threads of the HTTP pool; 200 by default. */
        public Builder maxThreads(int threads) {
            this.maxThreads = threads;
            return this;
        }

        /** Silence after which a subscription gets a heartbeat comment; 15 s by default. */
        public Builder heartbeat(Duration interval) {
            this.heartbeat = interval;
            return this;
        }

        /** A connection idle (or a write not drained) this long is closed; 60 s by default, more than the heartbeat. */
        public Builder idleTimeout(Duration timeout) {
            this.idleTimeout = timeout;
            return this;
        }

        /** How long a graceful stop waits for requests and subscriptions to finish; 10 s by default. */
        public Builder stopTimeout(Duration timeout) {
            this.stopTimeout = timeout;
            return this;
        }

        /** The registry /metrics scrapes; a new one by default. */
        public Builder meterRegistry(PrometheusMeterRegistry registry) {
            this.meterRegistry = registry;
            return this;
        }

        /** Validates the settings, opens the store and starts serving. */
        public StrataServer start() {
            validate();
            try {
                return new StrataServer(this);
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new ServerStartException("cannot start the server on " + bind + ":" + port + ": " + e.getMessage(), e);
            }
        }

        private void validate() {
            if (dataDirectory == null) {
                throw new ValidationException("dataDirectory", null, "must be set");
            }
            if (durability == null) {
                throw new ValidationException("durability", null, "must be fsync or os");
            }
            if (port < 0 || port > 65_535) {
                throw new ValidationException("port", port, "must be 0 (any free port) to 65535");
            }
            InetAddress address;
            try {
                address = InetAddress.getByName(bind);
            } catch (UnknownHostException | RuntimeException e) {
                throw new ValidationException("bind", bind, "must be an IP address or a host name of this machine");
            }
            if (!address.isLoopbackAddress() && accessTokens == null) {
                throw new ValidationException("bind", bind, "must be a loopback address (such as 127.0.0.1) unless access "
                        + "tokens are configured (--auth FILE): an open store must not be reachable from the network");
            }
            positive("maxBodyBytes", maxBodyBytes);
            positive("maxEventBytes", maxEventBytes);
            positive("maxPageEvents", maxPageEvents);
            if (maxHeaderBytes < 1024) {
                throw new ValidationException("maxHeaderBytes", maxHeaderBytes, "must be >= 1024");
            }
            if (maxThreads < 4) {
                throw new ValidationException("maxThreads", maxThreads, "must be >= 4");
            }
            positive("heartbeat", heartbeat);
            positive("idleTimeout", idleTimeout);
            positive("stopTimeout", stopTimeout);
            if (idleTimeout.compareTo(heartbeat) <= 0) {
                throw new ValidationException("idleTimeout", idleTimeout, "must be longer than the heartbeat (" + heartbeat
                        + "), or idle subscriptions would be cut");
            }
        }

        private static void positive(String setting, int value) {
            if (value <= 0) {
                throw new ValidationException(setting, value, "must be > 0");
            }
        }

        private static void positive(String setting, Duration value) {
            if (value == null || value.isNegative() || value.isZero()) {
                throw new ValidationException(setting, value, "must be a positive duration");
            }
        }
    }
}
