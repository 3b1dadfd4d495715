package dev.strata.bench.projections;

import dev.strata.eventstore.EventStore;
import dev.strata.projections.ProjectionPipeline;
import dev.strata.projections.ProjectionPipelineBuilder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.DBOptions;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * Projection pipeline throughput, 1 and 3 projections, upserts and read-modify-writes, each beside a raw RocksDB
 * WriteBatch loop doing the same writes (same keys, same 8-byte values, same batch size, write-ahead log on, no
 * sync) in the same run. The pipeline figure is end to end: tail the log, decode JSON once, apply, commit rows and
 * checkpoints; the raw loop only writes.
 *
 * <pre>java [Chronicle flags] -cp ... dev.strata.bench.projections.PipelineThroughput --events 2000000 [--keys 10000] [--dir /tmp/x]</pre>
 */
public final class PipelineThroughput {

    private static final int BATCH = 2048;

    private PipelineThroughput() {
    }

    public static void main(String[] args) throws Exception {
        long events = BenchStore.argument(args, "--events", 2_000_000);
        int keys = (int) BenchStore.argument(args, "--keys", 10_000);
        Path dir = Path.of(BenchStore.argument(args, "--dir", Files.createTempDirectory("strata-bench-projections").toString()));
        try (EventStore store = BenchStore.open(dir.resolve("store"))) {
            if (store.headPosition() + 1 < events) {
                double seconds = BenchStore.fill(store, events - store.headPosition() - 1, keys);
                System.out.printf("filled the store with %,d events in %.1f s%n", events, seconds);
            }
            long head = store.headPosition();
            long total = head + 1;
            long[] accounts = accounts(total, keys);
            long[] amounts = amounts(total);
            System.out.printf("%-6s %11s %16s %16s %7s%n", "kind", "projections", "pipeline ev/s", "raw RocksDB ev/s", "ratio");
            int run = 0;
            for (String kind : List.of("upsert", "rmw")) {
                for (int count : new int[] {1, 3}) {
                    run++;
                    double pipeline = pipeline(store, dir.resolve("read-models-" + run), kind, count, head);
                    double raw = raw(dir.resolve("raw-" + run), kind, count, accounts, amounts);
                    System.out.printf("%-6s %11d %,16.0f %,16.0f %7.2f%n", kind, count, pipeline, raw, pipeline / raw);
                }
            }
        }
    }

    /** The account of each event {@link BenchStore#fill} wrote. */
    public static long[] accounts(long total, int keys) {
        long[] accounts = new long[(int) total];
        for (long n = 0; n < total; n++) {
            accounts[(int) n] = n % keys;
        }
        return accounts;
    }

    /** The amount of each event {@link BenchStore#fill} wrote. */
    public static long[] amounts(long total) {
        long[] amounts = new long[(int) total];
        for (long n = 0; n < total; n++) {
            amounts[(int) n] = n % 1000;
        }
        return amounts;
    }

    /** Events/s of a pipeline of {@code count} projections of {@code kind} ("upsert" or "rmw") over the store's whole log. */
    public static double pipeline(EventStore store, Path readModels, String kind, int count, long head) {
        ProjectionPipelineBuilder builder = ProjectionPipeline.builder(store).directory(readModels).meterRegistry(new SimpleMeterRegistry());
        List<String> names = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String name = kind + "-" + i;
            names.add(name);
            builder.add(kind.equals("upsert") ? BenchProjections.upsert(name) : BenchProjections.readModifyWrite(name));
        }
        try (ProjectionPipeline pipeline = builder.open()) {
            long start = System.nanoTime();
            pipeline.start();
            for (String name : names) {
                pipeline.awaitPosition(name, head, Duration.ofHours(1));
            }
            return (head + 1) / ((System.nanoTime() - start) / 1e9);
        }
    }

    /** Events/s of the raw RocksDB loop doing the pipeline's writes for events {@code (accounts[n], amounts[n])}. */
    public static double raw(Path dir, String kind, int count, long[] accounts, long[] amounts) throws Exception {
        RocksDB.loadLibrary();
        Files.createDirectories(dir);
        List<ColumnFamilyDescriptor> descriptors = new ArrayList<>();
        descriptors.add(new ColumnFamilyDescriptor(RocksDB.DEFAULT_COLUMN_FAMILY));
        for (int i = 0; i < count; i++) {
            descriptors.add(new ColumnFamilyDescriptor(("rm-" + i).getBytes(StandardCharsets.UTF_8)));
        }
        List<ColumnFamilyHandle> handles = new ArrayList<>();
        boolean rmw = kind.equals("rmw");
        try (DBOptions options = new DBOptions().setCreateIfMissing(true).setCreateMissingColumnFamilies(true);
             RocksDB db = RocksDB.open(options, dir.toString(), descriptors, handles);
             WriteOptions write = new WriteOptions();
             ReadOptions read = new ReadOptions();
             WriteBatch batch = new WriteBatch()) {
            long start = System.nanoTime();
            java.util.Map<String, Long> pending = new java.util.HashMap<>(); // read-your-batch, as the pipeline's batches
            for (int n = 0; n < accounts.length; n++) {
                byte[] key = ("account-" + accounts[n]).getBytes(StandardCharsets.UTF_8);
                for (int p = 1; p <= count; p++) {
                    long value = amounts[n];
                    if (rmw) {
                        String cacheKey = p + "/" + accounts[n];
                        Long old = pending.get(cacheKey);
                        if (old == null) {
                            byte[] stored = db.get(handles.get(p), read, key);
                            old = stored == null ? 0L : ByteBuffer.wrap(stored).getLong();
                        }
                        value += old;
                        pending.put(cacheKey, value);
                    }
                    batch.put(handles.get(p), key, ByteBuffer.allocate(8).putLong(value).array());
                }
                if ((n + 1) % BATCH == 0) {
                    db.write(write, batch);
                    batch.clear();
                    pending.clear();
                }
            }
            db.write(write, batch);
            double rate = accounts.length / ((System.nanoTime() - start) / 1e9);
            handles.forEach(ColumnFamilyHandle::close);
            return rate;
        }
    }
}
