package dev.strata.projections.internal;

import dev.strata.eventstore.ValidationException;
import dev.strata.projections.KeyCodec;
import dev.strata.projections.ReadModel;
import dev.strata.projections.Row;
import dev.strata.projections.ValueCodec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.rocksdb.RocksIterator;

/**
 * Queries on the serving generation's column family. Each query registers itself with the generation it reads, so
 * a switch never drops a column family under a running query; a query that starts after the switch reads the new one.
 */
final class RocksDbReadModel<K, V> implements ReadModel<K, V> {

    private final ReadModelDatabase db;
    private final ProjectionRuntime runtime;
    private final KeyCodec<K> keys;
    private final ValueCodec<V> values;
    private final Duration defaultTimeout;
    private final long minPosition;
    private final Duration timeout;

    RocksDbReadModel(ReadModelDatabase db, ProjectionRuntime runtime, KeyCodec<K> keys, ValueCodec<V> values,
                     Duration defaultTimeout, long minPosition, Duration timeout) {
        this.db = db;
        this.runtime = runtime;
        this.keys = keys;
        this.values = values;
        this.defaultTimeout = defaultTimeout;
        this.minPosition = minPosition;
        this.timeout = timeout;
    }

    @Override
    public String projection() {
        return runtime.name();
    }

    @Override
    public long generation() {
        return runtime.active().number();
    }

    @Override
    public long position() {
        return runtime.active().position();
    }

    @Override
    public Optional<V> get(K key) {
        byte[] encoded = encode(key);
        awaitMinimum();
        Generation generation = runtime.acquire();
        try {
            byte[] value = db.get(generation.family(), encoded);
            return value == null ? Optional.empty() : Optional.of(values.decode(value));
        } finally {
            generation.release();
        }
    }

    @Override
    public List<Row<K, V>> scanPrefix(K prefix, int limit) {
        byte[] start = encode(prefix);
        return scan(start, null, start, limit);
    }

    @Override
    public List<Row<K, V>> scanRange(K fromInclusive, K toExclusive, int limit) {
        return scan(encode(fromInclusive), encode(toExclusive), null, limit);
    }

    private List<Row<K, V>> scan(byte[] from, byte[] toExclusive, byte[] prefix, int limit) {
        if (limit <= 0) {
            throw new ValidationException("limit", limit, "must be > 0");
        }
        awaitMinimum();
        List<Row<K, V>> rows = new ArrayList<>();
        Generation generation = runtime.acquire();
        try (RocksIterator iterator = db.iterator(generation.family())) {
            for (iterator.seek(from); iterator.isValid() && rows.size() < limit; iterator.next()) {
                byte[] key = iterator.key();
                if (prefix != null && !ParkedKeys.startsWith(key, prefix)) {
                    break;
                }
                if (toExclusive != null && Arrays.compareUnsigned(key, toExclusive) >= 0) {
                    break;
                }
                rows.add(new Row<>(keys.decode(key), values.decode(iterator.value())));
            }
        } finally {
            generation.release();
        }
        return rows;
    }

    @Override
    public ReadModel<K, V> atLeast(long position) {
        return atLeast(position, defaultTimeout);
    }

    @Override
    public ReadModel<K, V> atLeast(long position, Duration wait) {
        if (wait == null || wait.isNegative()) {
            throw new ValidationException("timeout", wait, "must be >= 0");
        }
        return new RocksDbReadModel<>(db, runtime, keys, values, defaultTimeout, position, wait);
    }

    private void awaitMinimum() {
        if (minPosition >= 0) {
            runtime.awaitPosition(minPosition, timeout);
        }
    }

    private byte[] encode(K key) {
        if (key == null) {
            throw new ValidationException("key", null, "must not be null");
        }
        return keys.encode(key);
    }
}
