package dev.strata.bench.projections;

import dev.strata.projections.internal.ReadModelDatabase;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatchWithIndex;

/**
 * A projection batch commit as the pipeline makes it: {@value #BATCH} row upserts (10,000 keys, 8-byte values) and
 * the projection's checkpoint in one indexed write batch (so handlers read their own batch's writes), written to the
 * read-model database through its write-ahead log without a sync. Scores are rows per second.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ProjectionCommitBenchmark {

    static final int BATCH = 2048;

    private Path directory;
    private ReadModelDatabase database;
    private ColumnFamilyHandle rows;
    private byte[][] keys;
    private final byte[] checkpointKey = "checkpoint/bench".getBytes(StandardCharsets.UTF_8);
    private long position;

    @Setup(Level.Trial)
    public void open() throws IOException {
        directory = Files.createTempDirectory("strata-commit-bench");
        database = ReadModelDatabase.open(directory);
        rows = database.createGeneration("bench", 1, 1, -1, "active/bench".getBytes(StandardCharsets.UTF_8));
        keys = new byte[10_000][];
        for (int i = 0; i < keys.length; i++) {
            keys[i] = ("account-" + i).getBytes(StandardCharsets.UTF_8);
        }
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long commitBatch() throws RocksDBException {
        try (WriteBatchWithIndex batch = new WriteBatchWithIndex(true)) {
            for (int i = 0; i < BATCH; i++) {
                position++;
                batch.put(rows, keys[(int) (position % keys.length)], ByteBuffer.allocate(8).putLong(position).array());
            }
            batch.put(database.meta(), checkpointKey, ByteBuffer.allocate(8).putLong(position).array());
            database.write(batch);
        }
        return position;
    }

    @TearDown(Level.Trial)
    public void close() throws IOException {
        database.close();
        try (Stream<Path> files = Files.walk(directory)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
    }
}
