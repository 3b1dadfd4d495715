package dev.strata.projections.internal;

import dev.strata.projections.Comparison;
import dev.strata.projections.ComparisonReport;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksIterator;
import org.rocksdb.Snapshot;

/**
 * Compares two generations of a read model row by row, in one RocksDB snapshot, so both are seen at one moment
 * (at the same checkpoint when they are in lock step). A merge walk over both key orders finds keys on one side
 * only and values that differ; sampling skips keys by a hash of their bytes, identically on both sides.
 */
final class GenerationComparison {

    private GenerationComparison() {
    }

    static ComparisonReport compare(ReadModelDatabase db, ProjectionRuntime runtime, Generation older, Generation newer,
                                    Comparison comparison) {
        if (!older.acquire()) {
            throw new dev.strata.projections.ProjectionStateException(older + " was dropped during the comparison");
        }
        try {
            if (!newer.acquire()) {
                throw new dev.strata.projections.ProjectionStateException(newer + " was dropped during the comparison");
            }
            try {
                return walk(db, runtime, older, newer, comparison);
            } finally {
                newer.release();
            }
        } finally {
            older.release();
        }
    }

    private static ComparisonReport walk(ReadModelDatabase db, ProjectionRuntime runtime, Generation older, Generation newer,
                                         Comparison comparison) {
        Snapshot snapshot = db.snapshot();
        long position;
        long onlyInOld = 0;
        long onlyInNew = 0;
        long changed = 0;
        long compared = 0;
        List<ComparisonReport.Difference> examples = new ArrayList<>();
        try (ReadOptions options = new ReadOptions().setSnapshot(snapshot);
             RocksIterator left = db.iterator(older.family(), options);
             RocksIterator right = db.iterator(newer.family(), options)) {
            position = positionAt(db, options, runtime.name(), older);
            left.seekToFirst();
            right.seekToFirst();
            while (left.isValid() || right.isValid()) {
                int order = !left.isValid() ? 1 : !right.isValid() ? -1 : Arrays.compareUnsigned(left.key(), right.key());
                byte[] key = order <= 0 ? left.key() : right.key();
                boolean sampled = sampled(key, comparison.fraction());
                if (order < 0) {
                    if (sampled) {
                        compared++;
                        onlyInOld++;
                        note(examples, comparison, runtime, key, left.value(), null);
                    }
                    left.next();
                } else if (order > 0) {
                    if (sampled) {
                        compared++;
                        onlyInNew++;
                        note(examples, comparison, runtime, key, null, right.value());
                    }
                    right.next();
                } else {
                    if (sampled) {
                        compared++;
                        byte[] oldValue = left.value();
                        byte[] newValue = right.value();
                        if (!Arrays.equals(oldValue, newValue)) {
                            changed++;
                            note(examples, comparison, runtime, key, oldValue, newValue);
                        }
                    }
                    left.next();
                    right.next();
                }
            }
        } finally {
            db.releaseSnapshot(snapshot);
        }
        return new ComparisonReport(runtime.name(), older.number(), newer.number(), position, comparison.fraction(), compared,
                onlyInOld, onlyInNew, changed, List.copyOf(examples));
    }

    /** The older generation's consistent position as of the snapshot. */
    private static long positionAt(ReadModelDatabase db, ReadOptions options, String projection, Generation generation) {
        long min = Long.MAX_VALUE;
        for (int p = 0; p < generation.partitions(); p++) {
            try {
                byte[] value = db.db().get(db.meta(), options, MetaKeys.checkpoint(projection, generation.number(), p));
                min = Math.min(min, value == null ? -1 : java.nio.ByteBuffer.wrap(value).getLong());
            } catch (org.rocksdb.RocksDBException e) {
                throw new dev.strata.projections.ReadModelException("cannot read a checkpoint: " + e.getMessage(), e);
            }
        }
        return min;
    }

    /** Deterministic: the same key is in or out of the sample on both sides and in every run. */
    static boolean sampled(byte[] key, double fraction) {
        if (fraction >= 1.0) {
            return true;
        }
        long hash = 0xcbf29ce484222325L;
        for (byte b : key) {
            hash = (hash ^ (b & 0xff)) * 0x100000001b3L;
        }
        hash ^= hash >>> 33;
        hash *= 0xff51afd7ed558ccdL;
        hash ^= hash >>> 33;
        return (hash >>> 11) * 0x1.0p-53 < fraction;
    }

    private static void note(List<ComparisonReport.Difference> examples, Comparison comparison, ProjectionRuntime runtime,
                             byte[] key, byte[] oldValue, byte[] newValue) {
        if (examples.size() < comparison.maxReported()) {
            examples.add(new ComparisonReport.Difference(showKey(runtime, key), showValue(runtime, oldValue), showValue(runtime, newValue)));
        }
    }

    private static String showKey(ProjectionRuntime runtime, byte[] key) {
        try {
            Object decoded = runtime.keyCodec().decode(key);
            return decoded instanceof byte[] bytes ? HexFormat.of().formatHex(bytes) : String.valueOf(decoded);
        } catch (RuntimeException e) {
            return HexFormat.of().formatHex(key);
        }
    }

    private static String showValue(ProjectionRuntime runtime, byte[] value) {
        if (value == null) {
            return null;
        }
        String shown;
        try {
            Object decoded = runtime.valueCodec().decode(value);
            shown = decoded instanceof byte[] bytes ? HexFormat.of().formatHex(bytes) : String.valueOf(decoded);
        } catch (RuntimeException e) {
            shown = HexFormat.of().formatHex(value);
        }
        return shown.length() > 200 ? shown.substring(0, 200) + "..." : shown;
    }
}
