package dev.strata.projections.internal;

import dev.strata.eventstore.EventReader;
import dev.strata.eventstore.RecordedEvent;
import dev.strata.eventstore.StorageException;
import dev.strata.projections.EventDecoder;
import java.util.ArrayList;
import java.util.List;
import org.rocksdb.RocksIterator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies a target's parked events again, key by key, in position order. The first event of a key that fails again
 * stays parked (with the new error) together with every later one of that key, so per-key order holds.
 */
final class ParkedRetry {

    private static final Logger LOG = LoggerFactory.getLogger(ParkedRetry.class);

    private ParkedRetry() {
    }

    /** @return {applied, still parked} */
    static long[] retry(BatchWriter writer, ReadModelDatabase db, EventReader store, EventDecoder decoder, Target target,
                        String onlyKey) {
        List<String> keys = new ArrayList<>();
        if (onlyKey == null) {
            keys.addAll(target.parkedKeys);
        } else if (target.parkedKeys.contains(onlyKey)) {
            keys.add(onlyKey);
        }
        long applied = 0;
        long stillParked = 0;
        String projection = target.runtime.name();
        for (String key : keys) {
            boolean failed = false;
            for (long position : positions(db, projection, target.generation.number(), key)) {
                if (failed) {
                    stillParked++;
                    continue;
                }
                RecordedEvent event = LogReader.readOne(store, position);
                if (event == null) {
                    throw new StorageException("parked event at position " + position + " of projection " + projection
                            + " is not in the log", null);
                }
                Object data = null;
                RuntimeException failure = null;
                try {
                    data = decoder.decode(event);
                } catch (RuntimeException e) {
                    failure = e;
                }
                RuntimeException thrown = writer.handle(target, event, data, failure);
                if (thrown == null) {
                    writer.unpark(target, key, position);
                    applied++;
                } else {
                    failed = true;
                    stillParked++;
                    writer.park(target, event, key, BatchWriter.describe(thrown));
                    target.pendingParked--; // the entry was already counted: it is rewritten with the new error
                    LOG.warn("Projection {} retry of parked {} at position {} (key '{}') failed again: {}", projection,
                            event.type(), position, key, BatchWriter.describe(thrown));
                }
            }
            if (!failed) {
                target.parkedKeys.remove(key);
            }
        }
        return new long[] {applied, stillParked};
    }

    static List<Long> positions(ReadModelDatabase db, String projection, long generation, String key) {
        byte[] prefix = ParkedKeys.keyPrefix(projection, generation, key);
        List<Long> positions = new ArrayList<>();
        try (RocksIterator iterator = db.iterator(db.parked())) {
            for (iterator.seek(prefix); iterator.isValid() && ParkedKeys.startsWith(iterator.key(), prefix); iterator.next()) {
                positions.add(ParkedKeys.positionOf(iterator.key()));
            }
        }
        return positions;
    }
}
