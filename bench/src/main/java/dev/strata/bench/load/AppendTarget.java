package dev.strata.bench.load;

import java.util.concurrent.CompletableFuture;

/**
 * A system the append workload runs against: Strata (embedded or over its server) or a peer (Axon on PostgreSQL, a
 * plain PostgreSQL table, a Kafka producer) or a raw limit (a Chronicle append, a write+fdatasync loop, a RocksDB
 * WriteBatch). Every target stores the same {@link Payload} per event and says how durable an acknowledged append is.
 *
 * <p>Versions: an append of {@code count} events to a stream at {@code expectedVersion} gives them versions
 * {@code expectedVersion + 1 ...}; {@code -1} means the stream must not exist. A target that checks versions throws
 * {@link ExpectedVersionConflict} on a mismatch and writes nothing; one that does not (Kafka, the raw limits) says
 * so in {@link #checksExpectedVersion()}, and the workload sends it no conflicts.
 */
public interface AppendTarget extends AutoCloseable {

    /** A short name used in results and charts, e.g. {@code strata-fsync} or {@code postgres-table-sync-off}. */
    String name();

    /** What an acknowledged append survives, in one sentence (printed beside every figure). */
    String durability();

    boolean checksExpectedVersion();

    /** The most appender threads this target supports (a raw single-writer limit may allow only one). */
    default int maxConcurrency() {
        return Integer.MAX_VALUE;
    }

    /** A handle for one appender thread (its own connection, appender or buffers); closed by the caller. */
    Session session(int thread);

    @Override
    void close();

    /** One appender thread's handle. Not thread-safe. */
    interface Session extends AutoCloseable {

        /** Appends {@code count} events to {@code stream} and blocks until the target acknowledges them. */
        void append(String stream, long expectedVersion, int count);

        /**
         * As {@link #append} without waiting, for targets that can pipeline; the future completes when acknowledged,
         * possibly on another thread. The default blocks and returns a completed future.
         */
        default CompletableFuture<Void> appendAsync(String stream, long expectedVersion, int count) {
            try {
                append(stream, expectedVersion, count);
                return CompletableFuture.completedFuture(null);
            } catch (RuntimeException e) {
                return CompletableFuture.failedFuture(e);
            }
        }

        @Override
        default void close() {
        }
    }
}
