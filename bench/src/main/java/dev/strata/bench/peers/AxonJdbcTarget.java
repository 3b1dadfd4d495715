package dev.strata.bench.peers;

import com.zaxxer.hikari.HikariDataSource;
import dev.strata.bench.load.AppendTarget;
import dev.strata.bench.load.ExpectedVersionConflict;
import dev.strata.bench.load.Payload;
import java.util.ArrayList;
import java.util.List;
import org.axonframework.common.jdbc.DataSourceConnectionProvider;
import org.axonframework.common.jdbc.UnitOfWorkAwareConnectionProviderWrapper;
import org.axonframework.common.transaction.NoTransactionManager;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventsourcing.eventstore.EmbeddedEventStore;
import org.axonframework.eventsourcing.eventstore.jdbc.JdbcEventStorageEngine;
import org.axonframework.eventsourcing.eventstore.jdbc.PostgresEventTableFactory;
import org.axonframework.eventsourcing.eventstore.jpa.SQLStateResolver;
import org.axonframework.messaging.unitofwork.DefaultUnitOfWork;
import org.axonframework.modelling.command.AggregateStreamCreationException;
import org.axonframework.modelling.command.ConcurrencyException;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.json.JacksonSerializer;

/**
 * Axon Framework 4.13's {@link EmbeddedEventStore} with its JDBC storage engine on PostgreSQL, as an Axon application
 * without Spring or Axon Server would set it up: a Hikari pool with {@code autoCommit=false}, the unit of work's
 * connection as the transaction ({@link UnitOfWorkAwareConnectionProviderWrapper} + {@link NoTransactionManager}),
 * Jackson for payloads, and {@code SQLStateResolver("23505")} so a duplicate (aggregate, sequence number) is a
 * concurrency conflict (STACK.md trap 11). One append = one unit of work = one transaction, publishing the events
 * with explicit sequence numbers {@code expectedVersion + 1 ...}, as an event-sourced aggregate does.
 */
public final class AxonJdbcTarget implements AppendTarget {

    /** The payload: Jackson writes it as the same JSON the other targets store. */
    public record BenchEvent(String orderId, long amount, String note) {
    }

    private final HikariDataSource pool;
    private final EmbeddedEventStore store;
    private final BenchEvent event;

    /** Fresh tables (dropped and created by Axon's PostgreSQL schema) on {@code server}. */
    public AxonJdbcTarget(PostgresServer server, int threads, Payload payload) {
        this.pool = server.pool(threads, false, null);
        Serializer serializer = JacksonSerializer.builder().build();
        JdbcEventStorageEngine engine = JdbcEventStorageEngine.builder()
                .connectionProvider(new UnitOfWorkAwareConnectionProviderWrapper(new DataSourceConnectionProvider(pool)))
                .transactionManager(NoTransactionManager.INSTANCE)
                .eventSerializer(serializer)
                .snapshotSerializer(serializer)
                .persistenceExceptionResolver(new SQLStateResolver("23505"))
                .build();
        PostgresServer.execute(pool, "DROP TABLE IF EXISTS domainevententry", "DROP TABLE IF EXISTS snapshotevententry");
        // DDL inside a unit of work: outside one, the autoCommit=false pool rolls the schema back on close
        DefaultUnitOfWork.startAndGet(null).execute(() -> engine.createSchema(PostgresEventTableFactory.INSTANCE));
        PostgresServer.execute(pool, "CHECKPOINT");
        this.store = EmbeddedEventStore.builder().storageEngine(engine).build();
        this.event = new BenchEvent("order-1", 12345, "x".repeat(payload.noteLength()));
    }

    @Override
    public String name() {
        return "axon-jdbc";
    }

    @Override
    public String durability() {
        return "on disk: PostgreSQL fsync=on, synchronous_commit=on (one transaction per unit of work)";
    }

    @Override
    public boolean checksExpectedVersion() {
        return true;
    }

    @Override
    public Session session(int thread) {
        return (stream, expectedVersion, count) -> {
            List<DomainEventMessage<?>> messages = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                messages.add(new GenericDomainEventMessage<>("Bench", stream, expectedVersion + 1 + i, event));
            }
            try {
                DefaultUnitOfWork.startAndGet(null).execute(() -> store.publish(messages));
            } catch (ConcurrencyException | AggregateStreamCreationException e) {
                throw new ExpectedVersionConflict(stream, expectedVersion, e);
            }
        };
    }

    @Override
    public void close() {
        store.shutDown();
        pool.close();
    }
}
