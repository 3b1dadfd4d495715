package dev.strata.relay;

import dev.strata.eventstore.ValidationException;
import io.cloudevents.CloudEvent;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deduplication for consumers: the relay and Kafka deliver at least once, the inbox turns that into one effect per
 * event. An event is identified by its CloudEvents {@code source} and {@code id} (the spec's uniqueness rule);
 * {@link #deliver} runs the handler only for a pair it has not recorded, and records the pair after the handler
 * returns, atomically with the handler's {@link InboxWrites}. Pairs are kept for the retention window, then purged (a
 * redelivery older than that is handled again: choose a window longer than any redelivery you expect).
 *
 * <h2>On disk (RocksDB, one folder)</h2>
 * <pre>
 * 's' source 0x00 id          -> first-seen time, epoch millis (8 bytes, big-endian)
 * 'e' millis(8, big-endian) source 0x00 id -> empty   (expiry order, for the purge)
 * 'u' key                     -> value             (the handlers' own state)
 * </pre>
 * Writes go through RocksDB's write-ahead log; with {@code sync} (the default) each is on stable storage before
 * {@link #deliver} returns.
 *
 * <h2>Threads</h2>
 * Thread-safe. Deliveries of the same event are serialized (lock stripes by hash), deliveries of different events
 * run in parallel. A daemon thread purges expired pairs every tenth of the retention (at most every minute).
 */
public final class Inbox implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Inbox.class);
    private static final byte SEEN = 's';
    private static final byte EXPIRY = 'e';
    private static final byte STATE = 'u';

    static {
        RocksDB.loadLibrary();
    }

    private final Path directory;
    private final Duration retention;
    private final InstantSource clock;
    private final Options options;
    private final WriteOptions writeOptions;
    private final RocksDB db;
    private final Object[] stripes = new Object[64];
    private final ScheduledExecutorService purger;

    private Inbox(Path directory, Duration retention, InstantSource clock, boolean sync, boolean purgeInBackground) {
        this.directory = directory;
        this.retention = retention;
        this.clock = clock;
        for (int i = 0; i < stripes.length; i++) {
            stripes[i] = new Object();
        }
        this.options = new Options().setCreateIfMissing(true);
        this.writeOptions = new WriteOptions().setSync(sync);
        try {
            Files.createDirectories(directory);
            this.db = RocksDB.open(options, directory.toString());
        } catch (Exception e) {
            options.close();
            writeOptions.close();
            throw new RelayStateException("cannot open the inbox in " + directory + ": " + e.getMessage(), e);
        }
        if (purgeInBackground) {
            long every = Math.max(1_000, Math.min(retention.toMillis() / 10, 60_000));
            purger = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread thread = new Thread(r, "strata-inbox-purge");
                thread.setDaemon(true);
                return thread;
            });
            purger.scheduleWithFixedDelay(this::purgeQuietly, every, every, TimeUnit.MILLISECONDS);
        } else {
            purger = null;
        }
    }

    /** Opens (or creates) an inbox in {@code directory} keeping seen events for {@code retention}; syncs every write. */
    public static Inbox open(Path directory, Duration retention) {
        return open(directory, retention, InstantSource.system(), true, true);
    }

    /**
     * All settings: {@code clock} for the first-seen times and the purge, {@code sync} to force each write to stable
     * storage (off: survives a process crash, not a power loss), {@code purgeInBackground} for the purge thread.
     */
    public static Inbox open(Path directory, Duration retention, InstantSource clock, boolean sync, boolean purgeInBackground) {
        if (directory == null) {
            throw new ValidationException("directory", null, "must be set");
        }
        if (retention == null || retention.isNegative() || retention.isZero()) {
            throw new ValidationException("retention", retention, "must be a positive duration");
        }
        if (clock == null) {
            throw new ValidationException("clock", null, "must not be null");
        }
        return new Inbox(directory, retention, clock, sync, purgeInBackground);
    }

    /**
     * Runs {@code handler} if this event ({@code source} + {@code id}) has not been handled yet, then records it.
     *
     * @return true if the handler ran, false for a duplicate
     */
    public boolean deliver(CloudEvent event, InboxHandler handler) {
        byte[] pair = pair(event.getSource().toString(), event.getId());
        synchronized (stripes[Math.floorMod(Arrays.hashCode(pair), stripes.length)]) {
            byte[] seenKey = prefixed(SEEN, pair);
            if (get(seenKey) != null) {
                return false;
            }
            try (WriteBatch batch = new WriteBatch()) {
                handler.handle(event, new InboxWrites() {
                    @Override
                    public void put(byte[] key, byte[] value) {
                        try {
                            batch.put(prefixed(STATE, key), value);
                        } catch (RocksDBException e) {
                            throw new RelayStateException("inbox write failed: " + e.getMessage(), e);
                        }
                    }

                    @Override
                    public void delete(byte[] key) {
                        try {
                            batch.delete(prefixed(STATE, key));
                        } catch (RocksDBException e) {
                            throw new RelayStateException("inbox write failed: " + e.getMessage(), e);
                        }
                    }
                });
                long now = clock.millis();
                batch.put(seenKey, ByteBuffer.allocate(8).putLong(now).array());
                batch.put(expiryKey(now, pair), new byte[0]);
                db.write(writeOptions, batch);
                return true;
            } catch (RocksDBException e) {
                throw new RelayStateException("cannot record event " + event.getId() + " in the inbox " + directory + ": " + e.getMessage(), e);
            }
        }
    }

    /** Whether this event is recorded as handled (within the retention window). */
    public boolean isHandled(CloudEvent event) {
        return get(prefixed(SEEN, pair(event.getSource().toString(), event.getId()))) != null;
    }

    /** A value a handler wrote with {@link InboxWrites#put}. */
    public Optional<byte[]> state(byte[] key) {
        return Optional.ofNullable(get(prefixed(STATE, key)));
    }

    /** Forgets the events first seen longer than the retention ago; returns how many. */
    public int purgeExpired() {
        long cutoff = clock.millis() - retention.toMillis();
        int purged = 0;
        try (RocksIterator it = db.newIterator(); WriteBatch batch = new WriteBatch()) {
            for (it.seek(new byte[] {EXPIRY}); it.isValid(); it.next()) {
                byte[] key = it.key();
                if (key.length < 9 || key[0] != EXPIRY || ByteBuffer.wrap(key, 1, 8).getLong() > cutoff) {
                    break;
                }
                byte[] pair = Arrays.copyOfRange(key, 9, key.length);
                byte[] seenKey = prefixed(SEEN, pair);
                // delete under the pair's lock: a concurrent delivery must see it either seen or gone, not half
                synchronized (stripes[Math.floorMod(Arrays.hashCode(pair), stripes.length)]) {
                    db.delete(writeOptions, seenKey);
                }
                batch.delete(key);
                purged++;
            }
            db.write(writeOptions, batch);
        } catch (RocksDBException e) {
            throw new RelayStateException("cannot purge the inbox " + directory + ": " + e.getMessage(), e);
        }
        return purged;
    }

    private void purgeQuietly() {
        try {
            int purged = purgeExpired();
            if (purged > 0) {
                LOG.debug("inbox {}: purged {} events older than {}", directory, purged, retention);
            }
        } catch (RuntimeException e) {
            LOG.warn("inbox {}: purge failed: {}", directory, e.toString());
        }
    }

    private byte[] get(byte[] key) {
        try {
            return db.get(key);
        } catch (RocksDBException e) {
            throw new RelayStateException("cannot read the inbox " + directory + ": " + e.getMessage(), e);
        }
    }

    private static byte[] pair(String source, String id) {
        byte[] s = source.getBytes(StandardCharsets.UTF_8);
        byte[] i = id.getBytes(StandardCharsets.UTF_8);
        byte[] pair = new byte[s.length + 1 + i.length];
        System.arraycopy(s, 0, pair, 0, s.length);
        System.arraycopy(i, 0, pair, s.length + 1, i.length);
        return pair;
    }

    private static byte[] prefixed(byte prefix, byte[] key) {
        byte[] out = new byte[key.length + 1];
        out[0] = prefix;
        System.arraycopy(key, 0, out, 1, key.length);
        return out;
    }

    private static byte[] expiryKey(long millis, byte[] pair) {
        return ByteBuffer.allocate(9 + pair.length).put(EXPIRY).putLong(millis).put(pair).array();
    }

    /** Stops the purge thread and closes the database. */
    @Override
    public void close() {
        if (purger != null) {
            purger.shutdownNow();
            try {
                purger.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        db.close();
        writeOptions.close();
        options.close();
    }
}
