package dev.strata.relay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.eventstore.EventData;
import dev.strata.eventstore.Metadata;
import dev.strata.relay.testkit.PerKeyOrder;
import dev.strata.relay.testkit.RecordingSink;
import io.cloudevents.CloudEvent;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.sql.DataSource;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The JDBC outbox on a real (embedded) PostgreSQL 17: written in the caller's transaction, published in order. */
class JdbcOutboxIT {

    static EmbeddedPostgres postgres;
    static DataSource db;

    @BeforeAll
    static void start() throws Exception {
        postgres = EmbeddedPostgres.builder().start();
        db = postgres.getPostgresDatabase();
        try (Connection c = db.getConnection()) {
            JdbcOutbox.createTables(c);
            JdbcOutbox.createTables(c); // idempotent
            try (Statement s = c.createStatement()) {
                s.execute("CREATE TABLE orders (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, stream text NOT NULL, note text)");
            }
        }
    }

    @AfterAll
    static void stop() throws Exception {
        if (postgres != null) {
            postgres.close();
        }
    }

    @BeforeEach
    void empty() throws SQLException {
        try (Connection c = db.getConnection(); Statement s = c.createStatement()) {
            s.execute("TRUNCATE strata_outbox, strata_outbox_streams, strata_outbox_deadletter, orders");
        }
    }

    private static long count(String table) throws SQLException {
        try (Connection c = db.getConnection(); Statement s = c.createStatement(); ResultSet r = s.executeQuery("SELECT count(*) FROM " + table)) {
            r.next();
            return r.getLong(1);
        }
    }

    @Test
    void eventsAreWrittenInTheCallersTransactionOrNotAtAll() throws Exception {
        try (Connection c = db.getConnection()) {
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                s.execute("INSERT INTO orders (stream, note) VALUES ('order-1', 'placed')");
            }
            assertThat(JdbcOutbox.append(c, "order-1", EventData.json("OrderPlaced", "{}"), EventData.json("OrderNoted", "{}"))).isEqualTo(1);
            c.rollback();
            assertThat(count("orders")).isZero();
            assertThat(count("strata_outbox")).isZero();

            try (Statement s = c.createStatement()) {
                s.execute("INSERT INTO orders (stream, note) VALUES ('order-1', 'placed')");
            }
            assertThat(JdbcOutbox.append(c, "order-1", EventData.json("OrderPlaced", "{}"))).isZero(); // the rollback gave version 0 back
            c.commit();
            assertThat(JdbcOutbox.append(c, "order-1", EventData.json("OrderPaid", "{}"))).isEqualTo(1);
            c.commit();
        }
        assertThat(count("orders")).isEqualTo(1);
        assertThat(count("strata_outbox")).isEqualTo(2);
    }

    @Test
    void severalRelaysPublishEveryCommittedEventInOrderPerStreamWhileOneKeepsDying() throws Exception {
        int streams = 30;
        List<CloudEvent> received = new ArrayList<>();
        Map<String, Long> committed = new ConcurrentHashMap<>();
        Set<String> committedIds = ConcurrentHashMap.newKeySet();
        AtomicBoolean writing = new AtomicBoolean(true);
        List<Thread> writers = new ArrayList<>();
        for (int w = 0; w < 4; w++) {
            int seed = w;
            writers.add(new Thread(() -> write(seed, streams, writing, committed, committedIds), "writer-" + w));
        }
        List<JdbcOutboxRelay> relays = new ArrayList<>();
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        for (int r = 1; r <= 3; r++) {
            relays.add(JdbcOutboxRelay.builder().name("orders").instance(Integer.toString(r)).dataSource(db)
                    .sink(new RecordingSink(received, 2_000, e -> false)).batchSize(5).pollInterval(Duration.ofMillis(10))
                    .retryPolicy(RetryPolicy.defaults().withInitialBackoff(Duration.ofMillis(20)).withMaxBackoff(Duration.ofMillis(100)))
                    .meterRegistry(meters).start());
        }
        writers.forEach(Thread::start);
        // relay 3 keeps losing its database session mid-round: its rounds roll back and others take its streams
        int kills = 0;
        long until = System.nanoTime() + Duration.ofSeconds(4).toNanos();
        while (System.nanoTime() < until) {
            Thread.sleep(250);
            kills += terminate("strata-outbox-relay-orders-3");
        }
        writing.set(false);
        for (Thread writer : writers) {
            writer.join();
        }
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> count("strata_outbox") == 0);
        relays.forEach(JdbcOutboxRelay::close);

        PerKeyOrder order = new PerKeyOrder();
        Set<String> deliveredIds = new HashSet<>();
        synchronized (received) {
            for (CloudEvent event : received) {
                order.accept(event.getSubject(), Long.parseLong(event.getExtension("streamversion").toString()));
                deliveredIds.add(event.getId());
                assertThat(event.getSource().toString()).isEqualTo("strata://orders/" + event.getSubject());
            }
        }
        System.out.println("jdbc outbox: " + committedIds.size() + " committed events, " + kills + " relay sessions killed; "
                + order + "; published per relay " + relays.stream().map(JdbcOutboxRelay::published).toList());
        assertThat(kills).isPositive();
        assertThat(order.violations()).isEmpty();
        assertThat(order.highest()).isEqualTo(committed);
        assertThat(deliveredIds).isEqualTo(committedIds); // every committed event, and nothing rolled back
        assertThat(relays.stream().filter(r -> r.published() > 0).count()).isGreaterThanOrEqualTo(2);
    }

    /** Appends 1-3 events per transaction to random streams, beside a business row; rolls every seventh back. */
    private static void write(int seed, int streams, AtomicBoolean writing, Map<String, Long> committed, Set<String> committedIds) {
        Random random = new Random(seed);
        try (Connection c = db.getConnection()) {
            c.setAutoCommit(false);
            for (int tx = 0; writing.get(); tx++) {
                String stream = "order-" + random.nextInt(streams);
                List<EventData> events = new ArrayList<>();
                for (int i = 0, n = 1 + random.nextInt(3); i < n; i++) {
                    events.add(EventData.json("OrderChanged", "{\"writer\":" + seed + ",\"tx\":" + tx + "}")
                            .withMetadata(Metadata.of(Map.of(Metadata.CORRELATION_ID, "tx-" + seed + "-" + tx))));
                }
                try (Statement s = c.createStatement()) {
                    s.execute("INSERT INTO orders (stream, note) VALUES ('" + stream + "', 'tx " + tx + "')");
                }
                long last = JdbcOutbox.append(c, stream, events);
                if (tx % 7 == 6) {
                    c.rollback();
                } else {
                    c.commit();
                    committed.merge(stream, last, Math::max);
                    events.forEach(e -> committedIds.add(e.id().toString()));
                }
                if (tx % 5 == 0) {
                    Thread.sleep(1);
                }
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static int terminate(String applicationName) throws SQLException {
        try (Connection c = db.getConnection(); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT count(*) FILTER (WHERE pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = '"
                     + applicationName + "'")) {
            r.next();
            return r.getInt(1);
        }
    }

    @Test
    void aRefusedEventMovesToTheDeadLetterTableWithTheReasonAndTheRestIsPublished() throws Exception {
        try (Connection c = db.getConnection()) {
            c.setAutoCommit(false);
            JdbcOutbox.append(c, "order-1", EventData.json("Good", "{}"), EventData.json("Poison", "{}"), EventData.json("Good", "{}"));
            c.commit();
        }
        List<CloudEvent> received = new ArrayList<>();
        try (JdbcOutboxRelay relay = JdbcOutboxRelay.builder().name("orders").dataSource(db)
                .sink(new RecordingSink(received, 0, e -> e.getType().equals("Poison"))).meterRegistry(new SimpleMeterRegistry()).start()) {
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> count("strata_outbox") == 0);
            assertThat(relay.deadLetters()).isEqualTo(1);
        }
        synchronized (received) {
            assertThat(received).extracting(e -> e.getExtension("streamversion").toString()).containsExactly("0", "2");
        }
        try (Connection c = db.getConnection(); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT stream, version, type, reason FROM strata_outbox_deadletter")) {
            assertThat(r.next()).isTrue();
            assertThat(r.getString(1) + "@" + r.getLong(2) + " " + r.getString(3) + ": " + r.getString(4))
                    .isEqualTo("order-1@1 Poison: refused by the test");
            assertThat(r.next()).isFalse();
        }
    }
}
