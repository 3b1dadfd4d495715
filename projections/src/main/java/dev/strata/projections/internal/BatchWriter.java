package dev.strata.projections.internal;

import dev.strata.eventstore.RecordedEvent;
import dev.strata.projections.PoisonPolicy;
import dev.strata.projections.ProjectionFailure;
import java.util.ArrayList;
import java.util.List;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatchWithIndex;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One thread's open write batch: events are applied to targets into it, and {@link #commit()} writes the rows, the
 * parked events and every touched target's checkpoint in one RocksDB write. That single write is what makes the
 * effect exactly once: after a crash a target resumes from the checkpoint that was committed with its rows.
 *
 * <p>Each event is applied inside a save point, so a handler that throws leaves nothing of that event behind.
 * Not thread-safe: owned by one projector thread.
 */
final class BatchWriter implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(BatchWriter.class);

    private final ReadModelDatabase db;
    private final WriteBatchWithIndex batch = new WriteBatchWithIndex(true);
    private final TargetContext context;
    private final List<Target> touched = new ArrayList<>();
    private int events;

    BatchWriter(ReadModelDatabase db) {
        this.db = db;
        this.context = new TargetContext(db, batch);
    }

    /** Events applied since the last commit. */
    int pendingEvents() {
        return events;
    }

    void countEvent() {
        events++;
    }

    /**
     * Applies {@code event} to {@code target} unless the target already has it, is stopped, or the event is past
     * the target's limit. An event of another partition's key only moves the checkpoint.
     *
     * @param failure a failure decoding the event or computing its key: the event is poison
     */
    void apply(Target target, RecordedEvent event, Object data, RuntimeException failure, String key, int keyPartition) {
        long position = event.position();
        if (target.stopped || position <= target.checkpoint || position > target.limit) {
            return;
        }
        touch(target);
        if (keyPartition != target.partition) {
            target.checkpoint = position;
            return;
        }
        target.pendingEvents++;
        if (target.parkedKeys.contains(key)) {
            park(target, event, key, "parked behind an earlier parked event of key '" + key + "'");
            target.checkpoint = position;
            return;
        }
        RuntimeException thrown = handle(target, event, data, failure);
        if (thrown == null) {
            target.checkpoint = position;
            return;
        }
        target.runtime.metrics().failed();
        if (target.runtime.options().poisonPolicy() == PoisonPolicy.PARK) {
            park(target, event, key, describe(thrown));
            target.parkedKeys.add(key);
            target.checkpoint = position;
            LOG.warn("Projection {} generation {} parked {} {} at position {} (key '{}'): {}", target.runtime.name(),
                    target.generation.number(), event.type(), event.stream(), position, key, describe(thrown));
        } else {
            stop(target, event, describe(thrown));
        }
    }

    /**
     * Runs the handler for one event in a save point; on failure rolls the event's writes back.
     *
     * @return null on success, else what was thrown
     */
    RuntimeException handle(Target target, RecordedEvent event, Object data, RuntimeException failure) {
        batch.setSavePoint();
        context.bind(target);
        try {
            if (failure != null) {
                throw failure;
            }
            target.runtime.handle(event, data, context);
            context.runEffects();
            batch.popSavePoint();
            return null;
        } catch (RuntimeException thrown) {
            rollbackEvent();
            return thrown;
        } catch (RocksDBException e) {
            throw new IllegalStateException("cannot release a write batch save point", e);
        } finally {
            context.unbind();
        }
    }

    private void rollbackEvent() {
        try {
            batch.rollbackToSavePoint();
        } catch (RocksDBException e) {
            throw new IllegalStateException("cannot roll a failed event back out of the write batch", e);
        }
    }

    /** Moves a target's checkpoint without applying anything (a retry of parked events does not move it). */
    void touch(Target target) {
        if (!touched.contains(target)) {
            touched.add(target);
        }
    }

    void park(Target target, RecordedEvent event, String key, String error) {
        ParkedKeys.Entry entry = new ParkedKeys.Entry(event.id(), event.stream(), event.type(), error, System.currentTimeMillis());
        put(db.parked(), ParkedKeys.entryKey(target.runtime.name(), target.generation.number(), key, event.position()),
                ParkedKeys.value(entry));
        target.pendingParked++;
        touch(target);
    }

    void unpark(Target target, String key, long position) {
        try {
            batch.delete(db.parked(), ParkedKeys.entryKey(target.runtime.name(), target.generation.number(), key, position));
        } catch (RocksDBException e) {
            throw new IllegalStateException("cannot write to a write batch", e);
        }
        target.pendingParked--;
        touch(target);
    }

    private void put(org.rocksdb.ColumnFamilyHandle family, byte[] key, byte[] value) {
        try {
            batch.put(family, key, value);
        } catch (RocksDBException e) {
            throw new IllegalStateException("cannot write to a write batch", e);
        }
    }

    void stop(Target target, RecordedEvent event, String error) {
        target.stopped = true;
        ProjectionFailure failure = new ProjectionFailure(target.runtime.name(), target.generation.number(), target.partition,
                event.position(), event.id(), event.stream(), event.type(), error);
        target.generation.failures().put(target.partition, failure);
        LOG.error("Projection stopped: {}", failure.describe());
        target.runtime.signalCommitted();
    }

    /**
     * Writes rows, parked events and checkpoints of every touched target in one batch, then publishes the new
     * checkpoints. A failed write stops the touched targets (their in-memory state is ahead of the database); a
     * resume reloads them from what was committed.
     */
    void commit() {
        if (touched.isEmpty()) {
            events = 0;
            return;
        }
        try {
            for (Target target : touched) {
                batch.put(db.meta(), target.checkpointKey, ReadModelDatabase.int64(target.checkpoint));
            }
            db.write(batch);
        } catch (RocksDBException e) {
            for (Target target : touched) {
                target.stopped = true;
                target.checkpoint = target.generation.checkpoint(target.partition);
                target.generation.failures().put(target.partition, new ProjectionFailure(target.runtime.name(),
                        target.generation.number(), target.partition, target.checkpoint + 1, null, "", "",
                        "the read model could not be written: " + e.getMessage()));
                target.runtime.signalCommitted();
            }
            LOG.error("Cannot commit read model batch for {}: {}", touched, e.getMessage());
            touched.clear();
            batch.clear();
            events = 0;
            return;
        }
        batch.clear();
        for (Target target : touched) {
            target.generation.checkpoint(target.partition, target.checkpoint);
            if (target.pendingParked != 0) {
                target.generation.addParked(target.pendingParked);
                target.pendingParked = 0;
            }
            if (!target.replaying) {
                target.runtime.metrics().committed(target.pendingEvents);
            }
            target.pendingEvents = 0;
            target.runtime.signalCommitted();
        }
        touched.clear();
        events = 0;
    }

    /** Drops the open batch; the touched targets go back to what was committed. */
    void discard() {
        batch.clear();
        for (Target target : touched) {
            target.checkpoint = target.generation.checkpoint(target.partition);
            target.pendingParked = 0;
            target.pendingEvents = 0;
        }
        touched.clear();
        events = 0;
    }

    static String describe(Throwable thrown) {
        String message = thrown.getMessage();
        String text = thrown.getClass().getSimpleName() + (message == null ? "" : ": " + message.replace('\n', ' '));
        return text.length() > 500 ? text.substring(0, 500) + "..." : text;
    }

    @Override
    public void close() {
        batch.close();
    }
}
