package dev.strata.relay;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.strata.eventstore.EventData;
import dev.strata.eventstore.StreamNames;
import dev.strata.eventstore.Metadata;
import dev.strata.eventstore.ValidationException;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The outbox for services whose state lives in PostgreSQL: {@link #append} writes events into the table
 * {@code strata_outbox} on the caller's connection, inside the caller's transaction, so the events are stored if and
 * only if the business change commits. A {@link JdbcOutboxRelay} then publishes them, in order per stream.
 *
 * <h2>Tables ({@link #createTables})</h2>
 * <pre>
 * strata_outbox            id (identity), stream, version, event_id (uuid), type, content_type, metadata (jsonb),
 *                          data (bytea), created_at; a row per event not yet published
 * strata_outbox_streams    stream (primary key), version: the last version given to each stream
 * strata_outbox_deadletter the outbox row, plus reason and dead_at: events the relay could not publish
 * </pre>
 *
 * <h2>Order</h2>
 * An append first bumps its stream's row in {@code strata_outbox_streams} ({@code INSERT ... ON CONFLICT DO UPDATE}),
 * which gives the events their versions and holds that row's lock until the caller commits or rolls back. Two
 * transactions appending to one stream are thereby serialized: the second gets its ids (and versions) only after the
 * first committed, so per stream, id order is version order is commit order, which the relay relies on. Different
 * streams do not wait for each other.
 */
public final class JdbcOutbox {

    private static final JsonFactory JSON = new JsonFactory();

    static final String[] SCHEMA = {
        """
        CREATE TABLE IF NOT EXISTS strata_outbox (
          id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
          stream       text        NOT NULL,
          version      bigint      NOT NULL,
          event_id     uuid        NOT NULL,
          type         text        NOT NULL,
          content_type text        NOT NULL,
          metadata     jsonb       NOT NULL,
          data         bytea       NOT NULL,
          created_at   timestamptz NOT NULL DEFAULT clock_timestamp()
        )""",
        "CREATE INDEX IF NOT EXISTS strata_outbox_stream_id ON strata_outbox (stream, id)",
        """
        CREATE TABLE IF NOT EXISTS strata_outbox_streams (
          stream  text   PRIMARY KEY,
          version bigint NOT NULL
        )""",
        """
        CREATE TABLE IF NOT EXISTS strata_outbox_deadletter (
          id           bigint      PRIMARY KEY,
          stream       text        NOT NULL,
          version      bigint      NOT NULL,
          event_id     uuid        NOT NULL,
          type         text        NOT NULL,
          content_type text        NOT NULL,
          metadata     jsonb       NOT NULL,
          data         bytea       NOT NULL,
          created_at   timestamptz NOT NULL,
          reason       text        NOT NULL,
          dead_at      timestamptz NOT NULL DEFAULT now()
        )"""
    };

    private static final String BUMP = """
            INSERT INTO strata_outbox_streams AS s (stream, version) VALUES (?, ?)
            ON CONFLICT (stream) DO UPDATE SET version = s.version + ?
            RETURNING version""";

    private static final String INSERT = """
            INSERT INTO strata_outbox (stream, version, event_id, type, content_type, metadata, data)
            VALUES (?, ?, ?, ?, ?, ?::jsonb, ?)""";

    private JdbcOutbox() {
    }

    /** Creates the outbox tables if they do not exist (idempotent); commits if the connection does not auto-commit. */
    public static void createTables(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            for (String ddl : SCHEMA) {
                statement.execute(ddl);
            }
        }
        if (!connection.getAutoCommit()) {
            connection.commit();
        }
    }

    /**
     * Writes {@code events} to the outbox for {@code stream}, in the caller's transaction on {@code connection} (this
     * method never commits). Returns the version of the last event.
     */
    public static long append(Connection connection, String stream, List<EventData> events) throws SQLException {
        StreamNames.requireUserStream(stream);
        if (events == null || events.isEmpty()) {
            throw new ValidationException("events", events == null ? null : "[]", "must hold at least one event");
        }
        long last;
        try (PreparedStatement bump = connection.prepareStatement(BUMP)) {
            bump.setString(1, stream);
            bump.setLong(2, events.size() - 1L);
            bump.setLong(3, events.size());
            try (ResultSet result = bump.executeQuery()) {
                result.next();
                last = result.getLong(1);
            }
        }
        long version = last - events.size() + 1;
        try (PreparedStatement insert = connection.prepareStatement(INSERT)) {
            for (EventData event : events) {
                insert.setString(1, stream);
                insert.setLong(2, version++);
                insert.setObject(3, event.id());
                insert.setString(4, event.type());
                insert.setString(5, event.contentType());
                insert.setString(6, json(event.metadata().asMap()));
                insert.setBytes(7, event.data());
                insert.addBatch();
            }
            insert.executeBatch();
        }
        return last;
    }

    public static long append(Connection connection, String stream, EventData... events) throws SQLException {
        return append(connection, stream, List.of(events));
    }

    static String json(Map<String, String> metadata) {
        StringWriter out = new StringWriter();
        try (JsonGenerator json = JSON.createGenerator(out)) {
            json.writeStartObject();
            for (Map.Entry<String, String> entry : metadata.entrySet()) {
                json.writeStringField(entry.getKey(), entry.getValue());
            }
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    /** The metadata column, as {@link #json} wrote it. */
    static Metadata metadata(String json) {
        Map<String, String> entries = new LinkedHashMap<>();
        try (JsonParser parser = JSON.createParser(json)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new ValidationException("metadata", json, "must be a JSON object of strings");
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String key = parser.currentName();
                if (parser.nextToken() != JsonToken.VALUE_STRING) {
                    throw new ValidationException("metadata." + key, parser.getText(), "must be a string");
                }
                entries.put(key, parser.getText());
            }
        } catch (IOException e) {
            throw new ValidationException("metadata", json, "must be a JSON object of strings");
        }
        return Metadata.of(entries);
    }
}
