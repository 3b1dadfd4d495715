package dev.strata.saga.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.strata.eventstore.EventStore;
import dev.strata.eventstore.RecordedEvent;
import dev.strata.eventstore.StreamVersions;
import dev.strata.eventstore.Subscription;
import dev.strata.eventstore.SubscriptionListener;
import dev.strata.saga.SagaException;
import dev.strata.saga.SagaLog;
import dev.strata.saga.SagaQuery;
import dev.strata.saga.SagaSummary;
import dev.strata.saga.SagaValidationException;
import dev.strata.saga.SagaView;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
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
 * The saga view in RocksDB, fed by a subscription to the {@code $saga} category.
 *
 * <h2>Layout (one key space, UTF-8 keys, {@code \0} separates parts)</h2>
 * <pre>
 *   r \0 stream                    → the SagaSummary as JSON (the row)
 *   t \0 type     \0 stream        → empty   (index by saga type)
 *   s \0 status   \0 stream        → empty   (index by status)
 *   b \0 busKey   \0 stream        → empty   (index by business key)
 *   i \0 sagaId   \0 stream        → empty   (index by saga id, across types)
 *   m \0 checkpoint                → 8 bytes, big-endian: position of the last event applied
 * </pre>
 * Each event is applied in one {@link WriteBatch}: the row, the index entries that change, and the checkpoint. A
 * crash loses at most batches after the last one RocksDB persisted, rows and checkpoint alike, so the view resumes
 * from its checkpoint and applies nothing twice. Format version 1 (docs/sagas.md).
 */
public final class RocksDbSagaView implements SagaView {

    private static final Logger LOG = LoggerFactory.getLogger(RocksDbSagaView.class);
    private static final byte[] CHECKPOINT = key("m", "checkpoint");
    private static final ObjectMapper MAPPER = SagaJson.mapper();

    static {
        RocksDB.loadLibrary();
    }

    private final Path directory;
    private final Options options;
    private final RocksDB db;
    private final WriteOptions writeOptions = new WriteOptions();
    private final Object progress = new Object();
    private final long headAtOpen;
    private volatile long checkpoint;
    private volatile Throwable failure;
    private final Subscription subscription;

    private RocksDbSagaView(EventStore store, Path directory) {
        this.directory = directory;
        try {
            Files.createDirectories(directory);
            this.options = new Options().setCreateIfMissing(true);
            this.db = RocksDB.open(options, directory.toString());
            byte[] stored = db.get(CHECKPOINT);
            this.checkpoint = stored == null ? StreamVersions.NO_POSITION : ByteBuffer.wrap(stored).getLong();
        } catch (IOException | RocksDBException e) {
            throw new ViewException("cannot open the saga view in " + directory + ": " + e.getMessage(), e);
        }
        this.headAtOpen = store.headPosition();
        this.subscription = store.subscribeToCategory(SagaLog.CATEGORY, checkpoint + 1, new SubscriptionListener() {
            @Override
            public void onEvent(RecordedEvent event) {
                applyEvent(event);
            }

            @Override
            public void onStopped(Throwable cause) {
                failure = cause;
                LOG.warn("Saga view {} stopped at position {}: {}", directory, checkpoint, cause.toString());
                synchronized (progress) {
                    progress.notifyAll();
                }
            }
        });
    }

    public static RocksDbSagaView open(EventStore store, Path directory) {
        return new RocksDbSagaView(store, directory);
    }

    private void applyEvent(RecordedEvent event) {
        byte[] rowKey = key("r", event.stream());
        try (WriteBatch batch = new WriteBatch()) {
            if (SagaEventCodec.isSagaEvent(event.type())) {
                SagaSummary previous = read(db.get(rowKey));
                SagaSummary next = SummaryFold.apply(previous, SagaEventCodec.decode(event), event);
                if (previous != null) {
                    for (byte[] index : indexKeys(previous)) {
                        batch.delete(index);
                    }
                }
                batch.put(rowKey, MAPPER.writeValueAsBytes(next));
                for (byte[] index : indexKeys(next)) {
                    batch.put(index, new byte[0]);
                }
            }
            batch.put(CHECKPOINT, ByteBuffer.allocate(Long.BYTES).putLong(event.position()).array());
            db.write(writeOptions, batch);
        } catch (RocksDBException | IOException e) {
            throw new ViewException("cannot apply " + event + " to the saga view: " + e.getMessage(), e);
        }
        synchronized (progress) {
            checkpoint = event.position();
            progress.notifyAll();
        }
    }

    private static List<byte[]> indexKeys(SagaSummary summary) {
        String stream = summary.stream();
        List<byte[]> keys = new ArrayList<>(4);
        keys.add(key("t", summary.sagaType(), stream));
        keys.add(key("s", summary.status().name(), stream));
        keys.add(key("i", summary.sagaId(), stream));
        if (summary.businessKey() != null) {
            keys.add(key("b", summary.businessKey(), stream));
        }
        return keys;
    }

    @Override
    public Optional<SagaSummary> find(String sagaType, String sagaId) {
        try {
            return Optional.ofNullable(read(db.get(key("r", SagaLog.streamName(sagaType, sagaId)))));
        } catch (RocksDBException e) {
            throw new ViewException("cannot read the saga view: " + e.getMessage(), e);
        }
    }

    @Override
    public List<SagaSummary> search(SagaQuery query) {
        if (query == null) {
            throw new SagaValidationException("query", null, "must not be null");
        }
        String prefix;
        if (query.sagaId() != null) {
            prefix = "i\0" + query.sagaId() + "\0";
        } else if (query.businessKey() != null) {
            prefix = "b\0" + query.businessKey() + "\0";
        } else if (query.status() != null) {
            prefix = "s\0" + query.status().name() + "\0";
        } else if (query.sagaType() != null) {
            prefix = "t\0" + query.sagaType() + "\0";
        } else {
            prefix = "r\0";
        }
        boolean rows = prefix.equals("r\0");
        byte[] start = prefix.getBytes(StandardCharsets.UTF_8);
        List<SagaSummary> found = new ArrayList<>();
        try (RocksIterator iterator = db.newIterator()) {
            for (iterator.seek(start); iterator.isValid() && found.size() < query.limit(); iterator.next()) {
                String key = new String(iterator.key(), StandardCharsets.UTF_8);
                if (!key.startsWith(prefix)) {
                    break;
                }
                SagaSummary summary = rows ? read(iterator.value())
                        : read(db.get(key("r", key.substring(prefix.length()))));
                if (summary != null && query.matches(summary)) {
                    found.add(summary);
                }
            }
        } catch (RocksDBException e) {
            throw new ViewException("cannot search the saga view: " + e.getMessage(), e);
        }
        return found;
    }

    @Override
    public long checkpoint() {
        return checkpoint;
    }

    @Override
    public boolean awaitPosition(long position, Duration timeout) {
        return await(() -> checkpoint >= position, timeout);
    }

    @Override
    public boolean awaitCaughtUp(Duration timeout) {
        // every saga event stored at open is at or below headAtOpen: live means all of them were delivered
        return await(() -> subscription.isLive() || checkpoint >= headAtOpen, timeout);
    }

    private boolean await(java.util.function.BooleanSupplier condition, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (progress) {
            while (!condition.getAsBoolean()) {
                if (failure != null) {
                    throw new ViewException("the saga view stopped: " + failure, failure);
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                try {
                    progress.wait(Math.max(1, Math.min(TimeUnit.NANOSECONDS.toMillis(left), 50)));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
            return true;
        }
    }

    private static SagaSummary read(byte[] json) {
        if (json == null) {
            return null;
        }
        try {
            return MAPPER.readValue(json, SagaSummary.class);
        } catch (IOException e) {
            throw new ViewException("a saga view row is not valid JSON: " + e.getMessage(), e);
        }
    }

    private static byte[] key(String... parts) {
        return String.join("\0", parts).getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        subscription.close();
        writeOptions.close();
        db.close();
        options.close();
        LOG.debug("Closed saga view {} at position {}", directory, checkpoint);
    }

    /** The view's storage failed. */
    static final class ViewException extends SagaException {
        ViewException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
