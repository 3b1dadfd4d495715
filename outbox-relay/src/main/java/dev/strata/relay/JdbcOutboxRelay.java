package dev.strata.relay;

import dev.strata.eventstore.RecordedEvent;
import dev.strata.eventstore.ValidationException;
import dev.strata.eventstore.cloudevents.CloudEventMapper;
import dev.strata.relay.internal.Backoff;
import dev.strata.relay.internal.CircuitBreaker;
import dev.strata.relay.internal.Publisher;
import dev.strata.relay.internal.RelayMetrics;
import dev.strata.relay.internal.Sleeper;
import io.cloudevents.CloudEvent;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.InstantSource;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes a PostgreSQL {@link JdbcOutbox} table to a sink, at least once and in order per stream, with as many
 * instances (threads or processes) as you like on the same table.
 *
 * <h2>One round</h2>
 * In one transaction on its own connection: lock the head row (lowest id) of up to {@code batchSize} streams with
 * {@code FOR UPDATE SKIP LOCKED} (holding a stream's head row means owning the stream: another relay skips it), read
 * the pending rows of the owned streams in a second statement (a fresh snapshot, so it sees everything the previous
 * owner committed), publish them in (stream, id) order, delete them (or move the refused ones to
 * {@code strata_outbox_deadletter} with the reason), commit. A relay that dies before the commit rolls back: its
 * streams are published again by whoever takes them next, from the same head, so nothing is lost or reordered.
 * Plain {@code SKIP LOCKED} over all rows would let two relays hold events of one stream at once and publish them out
 * of order; locking per-key advisory locks row by row has the same flaw (both were measured).
 *
 * <p>The sink down: retries with backoff behind the circuit breaker while the transaction stays open (the owned
 * streams wait; others are free for other relays). The database down: the round rolls back, the relay reconnects
 * after a backoff.
 *
 * <p>Events get the CloudEvents mapping of the store (DESIGN.md), with {@code source} {@code strata://<name>/<stream>}
 * unless the event's metadata sets one, {@code streamversion} from the outbox and {@code position} = the outbox row id
 * (increasing per stream, not dense).
 */
public final class JdbcOutboxRelay implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(JdbcOutboxRelay.class);

    static final String CLAIM_HEADS = """
            SELECT o.id FROM strata_outbox o
             WHERE o.id IN (SELECT min(id) FROM strata_outbox GROUP BY stream)
             ORDER BY o.id
             LIMIT ?
               FOR UPDATE OF o SKIP LOCKED""";

    static final String READ_OWNED = """
            SELECT id, stream, version, event_id, type, content_type, metadata::text, data, created_at
              FROM strata_outbox
             WHERE stream IN (SELECT stream FROM strata_outbox WHERE id = ANY(?))
             ORDER BY stream, id
             LIMIT ?""";

    static final String DELETE = "DELETE FROM strata_outbox WHERE id = ANY(?)";

    static final String DEAD_LETTER = """
            INSERT INTO strata_outbox_deadletter (id, stream, version, event_id, type, content_type, metadata, data, created_at, reason)
            SELECT id, stream, version, event_id, type, content_type, metadata, data, created_at, ? FROM strata_outbox WHERE id = ?
            ON CONFLICT (id) DO NOTHING""";

    private final String name;
    private final String instance;
    private final DataSource dataSource;
    private final EventSink sink;
    private final int batchSize;
    private final Duration pollInterval;
    private final InstantSource clock;
    private final CloudEventMapper mapper;
    private final Backoff backoff;
    private final CircuitBreaker breaker;
    private final RelayMetrics metrics;
    private final Publisher publisher;
    private final Sleeper sleeper = Sleeper.system();
    private final Thread thread;
    private volatile boolean running = true;
    private volatile long lastPublishedId = -1;
    private volatile long pending;
    private long pendingSampledAt;
    private Connection connection;

    private JdbcOutboxRelay(Builder b) {
        this.name = b.name;
        this.dataSource = b.dataSource;
        this.sink = b.sink;
        this.batchSize = b.batchSize;
        this.pollInterval = b.pollInterval;
        this.clock = b.clock;
        this.mapper = new CloudEventMapper(name);
        this.backoff = new Backoff(b.retryPolicy, () -> ThreadLocalRandom.current().nextDouble());
        this.breaker = new CircuitBreaker(b.retryPolicy.failuresToOpen(), b.retryPolicy.openDuration(), clock,
                (from, to) -> LOG.info("outbox relay {}: circuit {} -> {} ({})", name, from, to, sink.describe()));
        this.instance = b.instance;
        this.metrics = new RelayMetrics(b.meterRegistry, io.micrometer.core.instrument.Tags.of("relay", name, "instance", instance),
                () -> pending, () -> lastPublishedId, () -> breaker.state().code());
        this.publisher = new Publisher(name, sink, backoff, breaker, metrics, sleeper, () -> running);
        this.thread = new Thread(this::run, "strata-outbox-relay-" + name + "-" + instance);
        this.thread.setDaemon(true);
    }

    public static Builder builder() {
        return new Builder();
    }

    public String name() {
        return name;
    }

    public long published() {
        return metrics.publishedCount();
    }

    public long deadLetters() {
        return metrics.deadLetterCount();
    }

    public long retries() {
        return metrics.retryCount();
    }

    public CircuitState circuitState() {
        return breaker.state();
    }

    /** Rows waiting in the outbox, as last sampled (every few seconds). */
    public long pending() {
        return pending;
    }

    private void run() {
        int failures = 0;
        while (running) {
            try {
                if (connection == null) {
                    connection = dataSource.getConnection();
                    connection.setAutoCommit(false);
                    connection.setClientInfo("ApplicationName", "strata-outbox-relay-" + name + "-" + instance);
                }
                int published = round();
                failures = 0;
                if (published == 0) {
                    sleeper.sleep(pollInterval);
                }
            } catch (Publisher.StoppedException stopped) {
                rollbackQuietly();
            } catch (SQLException | RuntimeException e) {
                failures++;
                metrics.retried();
                Duration delay = backoff.delay(failures, java.util.Optional.empty());
                if (failures == 1 || failures % 10 == 0) {
                    LOG.warn("outbox relay {}: round failed (attempt {}), rolled back, retrying in {} ms: {}", name, failures,
                            delay.toMillis(), e.toString());
                }
                closeConnectionQuietly();
                sleeper.sleep(delay);
            }
        }
        closeConnectionQuietly();
    }

    private record Row(long id, String stream, long version, UUID eventId, String type, String contentType,
                       String metadata, byte[] data, OffsetDateTime createdAt) {
    }

    /** One transaction: claim, publish, delete, commit. Returns how many rows it published or dead-lettered. */
    private int round() throws SQLException {
        List<Long> heads = new ArrayList<>();
        try (PreparedStatement claim = connection.prepareStatement(CLAIM_HEADS)) {
            claim.setInt(1, batchSize);
            try (ResultSet rows = claim.executeQuery()) {
                while (rows.next()) {
                    heads.add(rows.getLong(1));
                }
            }
        }
        if (heads.isEmpty()) {
            connection.commit();
            samplePending();
            return 0;
        }
        List<Row> rows = new ArrayList<>();
        try (PreparedStatement read = connection.prepareStatement(READ_OWNED)) {
            read.setArray(1, connection.createArrayOf("int8", heads.toArray()));
            read.setInt(2, batchSize * 10);
            try (ResultSet result = read.executeQuery()) {
                while (result.next()) {
                    rows.add(new Row(result.getLong(1), result.getString(2), result.getLong(3), result.getObject(4, UUID.class),
                            result.getString(5), result.getString(6), result.getString(7), result.getBytes(8),
                            result.getObject(9, OffsetDateTime.class)));
                }
            }
        }
        Map<Long, String> deadLetters = new LinkedHashMap<>();
        Map<CloudEvent, Row> byEvent = new IdentityHashMap<>();
        List<CloudEvent> events = new ArrayList<>(rows.size());
        for (Row row : rows) {
            try {
                CloudEvent event = mapper.toCloudEvent(new RecordedEvent(row.eventId(), row.stream(), row.version(), row.id(),
                        row.type(), row.createdAt().toInstant(), row.contentType(), JdbcOutbox.metadata(row.metadata()), row.data()));
                events.add(event);
                byEvent.put(event, row);
            } catch (RuntimeException e) {
                LOG.warn("outbox relay {}: row {} ({}@{}) cannot be mapped to a CloudEvent: {}; moving it to strata_outbox_deadletter",
                        name, row.id(), row.stream(), row.version(), e.getMessage());
                deadLetters.put(row.id(), "cannot be mapped to a CloudEvent: " + e.getMessage());
                metrics.deadLettered();
            }
        }
        long started = System.nanoTime();
        publisher.publish(events, (refused, reason) -> deadLetters.put(byEvent.get(refused).id(), reason));
        metrics.publishTimer().record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
        if (!deadLetters.isEmpty()) {
            try (PreparedStatement move = connection.prepareStatement(DEAD_LETTER)) {
                for (Map.Entry<Long, String> letter : deadLetters.entrySet()) {
                    move.setString(1, letter.getValue());
                    move.setLong(2, letter.getKey());
                    move.addBatch();
                }
                move.executeBatch();
            }
        }
        Array ids = connection.createArrayOf("int8", rows.stream().map(Row::id).toArray());
        try (PreparedStatement delete = connection.prepareStatement(DELETE)) {
            delete.setArray(1, ids);
            delete.executeUpdate();
        }
        connection.commit();
        lastPublishedId = rows.stream().mapToLong(Row::id).max().orElse(lastPublishedId);
        samplePending();
        return rows.size();
    }

    private void samplePending() throws SQLException {
        long now = clock.millis();
        if (now - pendingSampledAt < 5_000) {
            return;
        }
        pendingSampledAt = now;
        try (Statement statement = connection.createStatement();
             ResultSet result = statement.executeQuery("SELECT count(*) FROM strata_outbox")) {
            result.next();
            pending = result.getLong(1);
        }
        connection.commit();
    }

    private void rollbackQuietly() {
        try {
            if (connection != null) {
                connection.rollback();
            }
        } catch (SQLException e) {
            closeConnectionQuietly();
        }
    }

    private void closeConnectionQuietly() {
        if (connection != null) {
            try {
                connection.rollback();
            } catch (SQLException e) {
                // the connection is broken: closing it is all that is left
            }
            try {
                connection.close();
            } catch (SQLException e) {
                // same
            }
            connection = null;
        }
    }

    private JdbcOutboxRelay begin() {
        LOG.info("outbox relay {}: starting, publishing strata_outbox to {}", name, sink.describe());
        thread.start();
        return this;
    }

    /** Stops after the current round (an unacknowledged round rolls back), then closes the sink. */
    @Override
    public void close() {
        running = false;
        sleeper.wakeUp();
        try {
            thread.join(TimeUnit.SECONDS.toMillis(60));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            sink.close();
        } finally {
            metrics.close();
            LOG.info("outbox relay {}: stopped after publishing {} events", name, published());
        }
    }

    /** Settings; {@link #start()} validates them. */
    public static final class Builder {
        private DataSource dataSource;
        private EventSink sink;
        private String name;
        private String instance = "1";
        private int batchSize = 100;
        private Duration pollInterval = Duration.ofMillis(100);
        private RetryPolicy retryPolicy = RetryPolicy.defaults();
        private MeterRegistry meterRegistry = Metrics.globalRegistry;
        private InstantSource clock = InstantSource.system();

        private Builder() {
        }

        /** Connections to the database holding {@code strata_outbox}; the relay keeps one open. Required. */
        public Builder dataSource(DataSource dataSource) {
            this.dataSource = dataSource;
            return this;
        }

        /** Required; the relay owns it and closes it. */
        public Builder sink(EventSink sink) {
            this.sink = sink;
            return this;
        }

        /** The relay's name: CloudEvents source {@code strata://<name>/<stream>}, metric tag, log lines. Required. */
        public Builder name(String name) {
            this.name = name;
            return this;
        }

        /**
         * Tells apart several instances of one relay in one process (metric tag {@code instance}, thread and
         * {@code application_name}); "1" by default. Instances in different processes need not differ.
         */
        public Builder instance(String instance) {
            this.instance = instance;
            return this;
        }

        /** Streams claimed per round (at most ten times as many rows); 100 by default. */
        public Builder batchSize(int streams) {
            this.batchSize = streams;
            return this;
        }

        /** How long to wait when the outbox is empty; 100 ms by default. */
        public Builder pollInterval(Duration interval) {
            this.pollInterval = interval;
            return this;
        }

        public Builder retryPolicy(RetryPolicy policy) {
            this.retryPolicy = policy;
            return this;
        }

        public Builder meterRegistry(MeterRegistry registry) {
            this.meterRegistry = registry;
            return this;
        }

        public Builder clock(InstantSource clock) {
            this.clock = clock;
            return this;
        }

        public JdbcOutboxRelay start() {
            if (dataSource == null) {
                throw new ValidationException("dataSource", null, "must be set");
            }
            if (sink == null) {
                throw new ValidationException("sink", null, "must be set");
            }
            if (name == null || !OutboxRelay.NAME.matcher(name).matches()) {
                throw new ValidationException("name", name, "must match " + OutboxRelay.NAME.pattern());
            }
            if (instance == null || !OutboxRelay.NAME.matcher(instance).matches()) {
                throw new ValidationException("instance", instance, "must match " + OutboxRelay.NAME.pattern());
            }
            if (batchSize < 1 || batchSize > 10_000) {
                throw new ValidationException("batchSize", batchSize, "must be between 1 and 10000");
            }
            if (pollInterval == null || pollInterval.isNegative() || pollInterval.isZero()) {
                throw new ValidationException("pollInterval", pollInterval, "must be a positive duration");
            }
            if (retryPolicy == null || meterRegistry == null || clock == null) {
                throw new ValidationException(retryPolicy == null ? "retryPolicy" : meterRegistry == null ? "meterRegistry" : "clock",
                        null, "must not be null");
            }
            return new JdbcOutboxRelay(this).begin();
        }
    }
}
