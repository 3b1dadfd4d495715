package dev.strata.bench.peers;

import com.zaxxer.hikari.HikariDataSource;
import dev.strata.bench.load.AppendTarget;
import dev.strata.bench.load.ExpectedVersionConflict;
import dev.strata.bench.load.Payload;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;

/**
 * The hand-rolled alternative: a plain PostgreSQL event table (position, stream, version unique, type, jsonb data)
 * with an optimistic expected-version check. An append of any size is ONE statement in autocommit, one round trip:
 * the check and the insert of all rows are one {@code INSERT ... SELECT FROM unnest(...) WHERE <current version> =
 * <expected>}. No row back means a wrong expected version; a concurrent writer that passed the same check gets the
 * unique-key error 23505 from (stream, version). Durable ({@code synchronous_commit=on}: the WAL is flushed before
 * the commit returns) or not ({@code synchronous_commit=off} for the session: a crash may lose the last commits).
 */
public final class PostgresTableTarget implements AppendTarget {

    static final String TABLE = """
            CREATE TABLE events (
              position bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
              stream   text   NOT NULL,
              version  bigint NOT NULL,
              type     text   NOT NULL,
              data     jsonb  NOT NULL,
              created  timestamptz NOT NULL DEFAULT now(),
              CONSTRAINT events_stream_version UNIQUE (stream, version))""";

    static final String APPEND = """
            INSERT INTO events (stream, version, type, data)
            SELECT ?, ? + x.ord, 'Benchmarked', x.data::jsonb
              FROM unnest(?::text[]) WITH ORDINALITY AS x(data, ord)
             WHERE coalesce((SELECT max(version) FROM events WHERE stream = ?), -1) = ?
            RETURNING position""";

    private final boolean synchronousCommit;
    private final HikariDataSource pool;
    private final Payload payload;

    /** A fresh table (dropped and created) on {@code server}, with a pool of {@code threads} connections. */
    public PostgresTableTarget(PostgresServer server, boolean synchronousCommit, int threads, Payload payload) {
        this.synchronousCommit = synchronousCommit;
        this.pool = server.pool(threads, true, synchronousCommit ? null : "SET synchronous_commit = off");
        this.payload = payload;
        PostgresServer.execute(pool, "DROP TABLE IF EXISTS events", TABLE, "CHECKPOINT");
    }

    @Override
    public String name() {
        return synchronousCommit ? "postgres-table" : "postgres-table-async";
    }

    @Override
    public String durability() {
        return synchronousCommit
                ? "on disk: PostgreSQL fsync=on, synchronous_commit=on (WAL flushed before the commit returns)"
                : "PostgreSQL synchronous_commit=off: survives a PostgreSQL crash only up to ~3 x wal_writer_delay (600 ms) before it; fsync=on";
    }

    @Override
    public boolean checksExpectedVersion() {
        return true;
    }

    @Override
    public Session session(int thread) {
        try {
            Connection connection = pool.getConnection();
            PreparedStatement append = connection.prepareStatement(APPEND);
            return new Session() {
                private Array data;
                private int dataCount;

                @Override
                public void append(String stream, long expectedVersion, int count) {
                    try {
                        if (dataCount != count) {
                            String[] bodies = new String[count];
                            Arrays.fill(bodies, payload.text());
                            data = connection.createArrayOf("text", bodies);
                            dataCount = count;
                        }
                        append.setString(1, stream);
                        append.setLong(2, expectedVersion);
                        append.setArray(3, data);
                        append.setString(4, stream);
                        append.setLong(5, expectedVersion);
                        int rows = 0;
                        try (ResultSet positions = append.executeQuery()) {
                            while (positions.next()) {
                                rows++;
                            }
                        }
                        if (rows != count) {
                            throw new ExpectedVersionConflict(stream, expectedVersion, null);
                        }
                    } catch (SQLException e) {
                        if ("23505".equals(e.getSQLState())) {
                            throw new ExpectedVersionConflict(stream, expectedVersion, e);
                        }
                        throw new IllegalStateException("append to " + stream + " failed", e);
                    }
                }

                @Override
                public void close() {
                    try {
                        append.close();
                        connection.close();
                    } catch (SQLException e) {
                        throw new IllegalStateException(e);
                    }
                }
            };
        } catch (SQLException e) {
            throw new IllegalStateException("no connection for appender " + thread, e);
        }
    }

    @Override
    public void close() {
        pool.close();
    }
}
