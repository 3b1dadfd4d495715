package dev.strata.projections.internal;

import dev.strata.eventstore.ValidationException;
import dev.strata.projections.KeyCodec;
import dev.strata.projections.ProjectionContext;
import dev.strata.projections.ReadModelException;
import dev.strata.projections.Row;
import dev.strata.projections.ValueCodec;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatchWithIndex;

/**
 * What a handler writes through, bound to one target and the owner's open batch for the duration of one call.
 * Reads merge the batch with the database, so a handler sees the writes of earlier events of the same batch.
 */
final class TargetContext implements ProjectionContext<Object, Object> {

    private final ReadModelDatabase db;
    private final WriteBatchWithIndex batch;
    private final List<Runnable> effects = new ArrayList<>();
    private Target target;
    private KeyCodec<Object> keys;
    private ValueCodec<Object> values;

    TargetContext(ReadModelDatabase db, WriteBatchWithIndex batch) {
        this.db = db;
        this.batch = batch;
    }

    void bind(Target target) {
        this.target = target;
        this.keys = target.runtime.keyCodec();
        this.values = target.runtime.valueCodec();
        effects.clear();
    }

    void unbind() {
        target = null;
        effects.clear();
    }

    /** Runs the side effects the handler asked for, in order (none while replaying: they were never queued). */
    void runEffects() {
        for (Runnable effect : effects) {
            effect.run();
        }
        effects.clear();
    }

    @Override
    public Optional<Object> get(Object key) {
        requireBound();
        try {
            byte[] value = batch.getFromBatchAndDB(db.db(), target.generation.family(), db.readOptions(), encodeKey(key));
            return value == null ? Optional.empty() : Optional.of(values.decode(value));
        } catch (RocksDBException e) {
            throw new ReadModelException("cannot read " + target.generation + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void put(Object key, Object value) {
        requireBound();
        if (value == null) {
            throw new ValidationException("value", null, "must not be null (use delete)");
        }
        byte[] encoded = values.encode(value);
        try {
            batch.put(target.generation.family(), encodeKey(key), encoded);
        } catch (RocksDBException e) {
            throw new ReadModelException("cannot write " + target.generation + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void delete(Object key) {
        requireBound();
        try {
            batch.delete(target.generation.family(), encodeKey(key));
        } catch (RocksDBException e) {
            throw new ReadModelException("cannot write " + target.generation + ": " + e.getMessage(), e);
        }
    }

    @Override
    public List<Row<Object, Object>> scanPrefix(Object prefix, int limit) {
        requireBound();
        if (limit <= 0) {
            throw new ValidationException("limit", limit, "must be > 0");
        }
        byte[] start = encodeKey(prefix);
        List<Row<Object, Object>> rows = new ArrayList<>();
        // The merged iterator owns the base iterator's native handle; closing both is safe.
        try (RocksIterator base = db.iterator(target.generation.family());
             RocksIterator merged = batch.newIteratorWithBase(target.generation.family(), base)) {
            for (merged.seek(start); merged.isValid() && rows.size() < limit; merged.next()) {
                byte[] key = merged.key();
                if (!ParkedKeys.startsWith(key, start)) {
                    break;
                }
                rows.add(new Row<>(keys.decode(key), values.decode(merged.value())));
            }
        }
        return rows;
    }

    @Override
    public long generation() {
        requireBound();
        return target.generation.number();
    }

    @Override
    public boolean replaying() {
        requireBound();
        return target.replaying;
    }

    @Override
    public void sideEffect(Runnable effect) {
        requireBound();
        if (effect == null) {
            throw new ValidationException("effect", null, "must not be null");
        }
        if (target.replaying) {
            target.runtime.metrics().effectSuppressed();
        } else {
            effects.add(effect);
        }
    }

    private byte[] encodeKey(Object key) {
        if (key == null) {
            throw new ValidationException("key", null, "must not be null");
        }
        return keys.encode(key);
    }

    private void requireBound() {
        if (target == null) {
            throw new IllegalStateException("a ProjectionContext is valid only during the handle() call it was passed to");
        }
    }
}
