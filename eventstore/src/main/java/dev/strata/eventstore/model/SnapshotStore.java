package dev.strata.eventstore.model;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.strata.eventstore.Direction;
import dev.strata.eventstore.EventData;
import dev.strata.eventstore.EventStore;
import dev.strata.eventstore.ExpectedVersion;
import dev.strata.eventstore.Metadata;
import dev.strata.eventstore.RecordedEvent;
import dev.strata.eventstore.StreamVersions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Snapshots live in the store itself, in one system stream per stream: {@code $snapshot-<stream>} (for a stream
 * name too long to prefix, {@code $snapshot-sha256.<hex of the name's SHA-256>}). So they survive restarts, travel
 * with backups of the store, and need no second storage engine. The newest event of that stream is the snapshot in
 * use; older ones stay (the log is append-only) and cost one event per {@link SnapshotPolicy#everyEvents()}.
 *
 * <h2>Format</h2>
 * Each snapshot is one event of type {@value #TYPE}, content type {@code application/json}, metadata
 * {@code schemarev=1}, with data
 * <pre>
 * {"stream":"account-7","version":199,"fingerprint":"3-9f86d081884c7d65",
 *  "lastCommand":"5c3e...","lastCommandFirstVersion":198,"state":{...the state as JSON...}}
 * </pre>
 * A crash while writing one leaves either the whole event or nothing (appends are atomic). A snapshot is only a
 * cache of the fold: one that is missing, unreadable, of another stream or of another fingerprint is ignored.
 * Thread-safe.
 */
final class SnapshotStore {

    static final String TYPE = "strata.snapshot";
    static final String PREFIX = "$snapshot-";
    private static final int MAX_NAME = 200;

    /** The envelope's own mapper: independent of the user's, which only (de)serializes the state. */
    private static final ObjectMapper ENVELOPE = JsonMapper.builder().build();
    private static final Metadata METADATA = Metadata.empty().with(EventTypes.SCHEMA_REVISION, "1");

    private final EventStore store;

    SnapshotStore(EventStore store) {
        this.store = store;
    }

    static String streamOf(String stream) {
        String name = PREFIX + stream;
        if (name.length() - 1 <= MAX_NAME) {
            return name;
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(stream.getBytes(StandardCharsets.UTF_8));
            return PREFIX + "sha256." + HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform must provide SHA-256", e);
        }
    }

    /**
     * The newest snapshot of {@code stream}, or null if there is none.
     *
     * @throws IOException if the newest snapshot event cannot be parsed
     */
    Snapshot latest(String stream) throws IOException {
        RecordedEvent newest;
        try (Stream<RecordedEvent> events = store.readStream(streamOf(stream), StreamVersions.END, Direction.BACKWARD, 1)) {
            newest = events.findFirst().orElse(null);
        }
        if (newest == null) {
            return null;
        }
        if (!TYPE.equals(newest.type())) {
            throw new IOException("the newest event of " + newest.stream() + " is of type '" + newest.type() + "', not " + TYPE);
        }
        Snapshot snapshot = ENVELOPE.readValue(newest.data(), Snapshot.class);
        if (snapshot.stream() == null || snapshot.state() == null) {
            throw new IOException("the snapshot at " + newest.stream() + "@" + newest.version() + " has no stream or no state");
        }
        return snapshot;
    }

    void save(Snapshot snapshot) throws IOException {
        byte[] data = ENVELOPE.writeValueAsBytes(snapshot);
        store.systemAppender().append(streamOf(snapshot.stream()), ExpectedVersion.any(),
                new EventData(UUID.randomUUID(), TYPE, EventData.JSON, METADATA, data));
    }
}
