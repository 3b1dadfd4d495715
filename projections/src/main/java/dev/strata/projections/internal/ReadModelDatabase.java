package dev.strata.projections.internal;

import dev.strata.projections.ReadModelException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.rocksdb.AbstractWriteBatch;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.BloomFilter;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.CompressionType;
import org.rocksdb.DBOptions;
import org.rocksdb.LRUCache;
import org.rocksdb.Options;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.Snapshot;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * The read models' RocksDB database: one column family per generation of each projection, plus the pipeline's own
 * records. Rows and checkpoints are written in one WriteBatch through the write-ahead log (not synced: a process
 * crash keeps every committed batch; a power loss may lose the last ones, never half of one, and the pipeline then
 * re-applies from the checkpoint that survived; the log is the source of truth).
 *
 * <h2>Layout (format 1)</h2>
 * <pre>
 * column family "default": the pipeline's records; keys are ASCII, values big-endian
 *   "format"                                   i32  = 1
 *   "active/" name                             i64  the generation that serves queries
 *   "partitions/" name "/" gen                 i32  partitions the generation was built with (fixed)
 *   "checkpoint/" name "/" gen "/" partition   i64  last position applied by that partition (-1: none); written in the
 *                                                   same batch as the rows it covers
 *   "rebuild/" name                            i64  a generation being built (rebuild or offline replay)
 *   "retired/" name "/" gen                    (empty) switched away from: dropped when next seen
 * column family "rm/" name "/" gen: the read model's rows, key and value as the projection's codecs make them
 * column family "parked": events parked by the PARK poison policy
 *   name 0x00 gen(u64) keyLength(u32) key(UTF-8) position(u64)  →  JSON {eventId, stream, type, error, parkedAt}
 * </pre>
 * After a crash: a generation's column family may exist without its records (created, then the crash came before
 * the records were written); it is dropped on open. A retired generation that was not dropped yet is dropped on open.
 */
public final class ReadModelDatabase implements AutoCloseable {

    public static final int FORMAT = 1;
    static final String PARKED = "parked";
    static final String ROWS_PREFIX = "rm/";
    private static final byte[] FORMAT_KEY = ascii("format");

    static {
        RocksDB.loadLibrary();
    }

    private final Path directory;
    private final LRUCache cache;
    private final DBOptions dbOptions;
    private final ColumnFamilyOptions familyOptions;
    private final WriteOptions writeOptions = new WriteOptions();
    private final WriteOptions syncedWriteOptions = new WriteOptions().setSync(true);
    private final ReadOptions readOptions = new ReadOptions();
    private final Map<String, ColumnFamilyHandle> families = new ConcurrentHashMap<>();
    private RocksDB db;
    private ColumnFamilyHandle meta;
    private ColumnFamilyHandle parked;

    private ReadModelDatabase(Path directory) {
        this.directory = directory;
        this.cache = new LRUCache(64L << 20);
        this.dbOptions = new DBOptions()
                .setCreateIfMissing(true)
                .setCreateMissingColumnFamilies(true)
                .setMaxBackgroundJobs(2);
        this.familyOptions = new ColumnFamilyOptions()
                .setCompressionType(CompressionType.LZ4_COMPRESSION)
                .setWriteBufferSize(32L << 20)
                .setTableFormatConfig(new BlockBasedTableConfig()
                        .setBlockCache(cache)
                        .setFilterPolicy(new BloomFilter(10, false))
                        .setBlockSize(16 << 10));
    }

    public static ReadModelDatabase open(Path directory) {
        ReadModelDatabase database = new ReadModelDatabase(directory);
        try {
            database.openDatabase();
            return database;
        } catch (RuntimeException e) {
            database.close();
            throw e;
        }
    }

    private void openDatabase() {
        try {
            Files.createDirectories(directory);
            List<byte[]> names = new ArrayList<>();
            try (Options options = new Options()) {
                names.addAll(RocksDB.listColumnFamilies(options, directory.toString()));
            }
            List<ColumnFamilyDescriptor> descriptors = new ArrayList<>();
            descriptors.add(new ColumnFamilyDescriptor(RocksDB.DEFAULT_COLUMN_FAMILY, familyOptions));
            descriptors.add(new ColumnFamilyDescriptor(ascii(PARKED), familyOptions));
            for (byte[] name : names) {
                String text = new String(name, StandardCharsets.UTF_8);
                if (text.startsWith(ROWS_PREFIX)) {
                    descriptors.add(new ColumnFamilyDescriptor(name, familyOptions));
                }
            }
            List<ColumnFamilyHandle> handles = new ArrayList<>();
            db = RocksDB.open(dbOptions, directory.toString(), descriptors, handles);
            meta = handles.get(0);
            parked = handles.get(1);
            for (int i = 2; i < handles.size(); i++) {
                families.put(new String(descriptors.get(i).getName(), StandardCharsets.UTF_8), handles.get(i));
            }
            byte[] format = db.get(meta, FORMAT_KEY);
            if (format == null) {
                db.put(meta, syncedWriteOptions, FORMAT_KEY, ByteBuffer.allocate(4).putInt(FORMAT).array());
            } else if (ByteBuffer.wrap(format).getInt() != FORMAT) {
                throw new ReadModelException("the read models in " + directory + " have format " + ByteBuffer.wrap(format).getInt()
                        + " but this version reads format " + FORMAT + "; move them away and rebuild", null);
            }
        } catch (RocksDBException | java.io.IOException e) {
            throw new ReadModelException("cannot open the read models in " + directory + ": " + e.getMessage(), e);
        }
    }

    public Path directory() {
        return directory;
    }

    public RocksDB db() {
        return db;
    }

    public ColumnFamilyHandle meta() {
        return meta;
    }

    public ColumnFamilyHandle parked() {
        return parked;
    }

    public ReadOptions readOptions() {
        return readOptions;
    }

    // ------------------------------------------------------------ generations' column families

    static String familyName(String projection, long generation) {
        return ROWS_PREFIX + projection + "/" + generation;
    }

    /** The stored generations of {@code projection} (those with a column family), ascending. */
    public Set<Long> generations(String projection) {
        Set<Long> found = new TreeSet<>();
        String prefix = ROWS_PREFIX + projection + "/";
        for (String name : families.keySet()) {
            if (name.startsWith(prefix)) {
                try {
                    found.add(Long.parseLong(name.substring(prefix.length())));
                } catch (NumberFormatException e) {
                    // not ours: a projection whose name continues with '/' cannot exist (names exclude it)
                }
            }
        }
        return found;
    }

    public ColumnFamilyHandle family(String projection, long generation) {
        return families.get(familyName(projection, generation));
    }

    /**
     * Creates a generation: its column family, then (in one synced batch) its partition count, its checkpoints at
     * {@code checkpoint}, and {@code marker} (the active or rebuild record that makes it reachable).
     */
    public ColumnFamilyHandle createGeneration(String projection, long generation, int partitions, long checkpoint,
                                               byte[] markerKey) {
        String name = familyName(projection, generation);
        try {
            ColumnFamilyHandle handle = db.createColumnFamily(new ColumnFamilyDescriptor(name.getBytes(StandardCharsets.UTF_8), familyOptions));
            families.put(name, handle);
            try (WriteBatch batch = new WriteBatch()) {
                batch.put(meta, MetaKeys.partitions(projection, generation), int32(partitions));
                for (int p = 0; p < partitions; p++) {
                    batch.put(meta, MetaKeys.checkpoint(projection, generation, p), int64(checkpoint));
                }
                batch.put(meta, markerKey, int64(generation));
                db.write(syncedWriteOptions, batch);
            }
            return handle;
        } catch (RocksDBException e) {
            throw new ReadModelException("cannot create generation " + generation + " of " + projection + ": " + e.getMessage(), e);
        }
    }

    /** Drops a generation's rows, records and parked events. Nobody may use its column family any more. */
    public void dropGeneration(String projection, long generation) {
        String name = familyName(projection, generation);
        try {
            ColumnFamilyHandle handle = families.remove(name);
            if (handle != null) {
                db.dropColumnFamily(handle);
                handle.close();
            }
            int partitions = getInt(MetaKeys.partitions(projection, generation), 0);
            try (WriteBatch batch = new WriteBatch()) {
                for (int p = 0; p < Math.max(partitions, dev.strata.projections.ProjectionOptions.MAX_PARTITIONS); p++) {
                    batch.delete(meta, MetaKeys.checkpoint(projection, generation, p));
                }
                batch.delete(meta, MetaKeys.partitions(projection, generation));
                batch.delete(meta, MetaKeys.retired(projection, generation));
                batch.deleteRange(parked, ParkedKeys.generationPrefix(projection, generation),
                        ParkedKeys.generationPrefix(projection, generation + 1));
                db.write(syncedWriteOptions, batch);
            }
        } catch (RocksDBException e) {
            throw new ReadModelException("cannot drop generation " + generation + " of " + projection + ": " + e.getMessage(), e);
        }
    }

    // ------------------------------------------------------------ records

    public OptionalLong getLong(byte[] key) {
        byte[] value = get(meta, key);
        return value == null ? OptionalLong.empty() : OptionalLong.of(ByteBuffer.wrap(value).getLong());
    }

    public int getInt(byte[] key, int absent) {
        byte[] value = get(meta, key);
        return value == null ? absent : ByteBuffer.wrap(value).getInt();
    }

    public byte[] get(ColumnFamilyHandle family, byte[] key) {
        try {
            return db.get(family, readOptions, key);
        } catch (RocksDBException e) {
            throw new ReadModelException("cannot read the read models in " + directory + ": " + e.getMessage(), e);
        }
    }

    /** Commits a batch through the write-ahead log, without waiting for a sync (see the class comment). */
    public void write(AbstractWriteBatch batch) throws RocksDBException {
        if (batch instanceof WriteBatch plain) {
            db.write(writeOptions, plain);
        } else {
            db.write(writeOptions, (org.rocksdb.WriteBatchWithIndex) batch);
        }
    }

    /** Commits a batch and syncs the write-ahead log: for the rare records that switch generations. */
    public void writeSynced(WriteBatch batch) {
        try {
            db.write(syncedWriteOptions, batch);
        } catch (RocksDBException e) {
            throw new ReadModelException("cannot write the read models in " + directory + ": " + e.getMessage(), e);
        }
    }

    public RocksIterator iterator(ColumnFamilyHandle family) {
        return db.newIterator(family, readOptions);
    }

    public RocksIterator iterator(ColumnFamilyHandle family, ReadOptions options) {
        return db.newIterator(family, options);
    }

    public Snapshot snapshot() {
        return db.getSnapshot();
    }

    public void releaseSnapshot(Snapshot snapshot) {
        db.releaseSnapshot(snapshot);
    }

    static byte[] int64(long value) {
        return ByteBuffer.allocate(8).putLong(value).array();
    }

    static byte[] int32(int value) {
        return ByteBuffer.allocate(4).putInt(value).array();
    }

    static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        for (ColumnFamilyHandle handle : families.values()) {
            handle.close();
        }
        families.clear();
        if (parked != null) {
            parked.close();
        }
        if (meta != null) {
            meta.close();
        }
        if (db != null) {
            try {
                db.syncWal();
            } catch (RocksDBException e) {
                // closing anyway; the write-ahead log is in the page cache and survives the process
            }
            db.close();
            db = null;
        }
        readOptions.close();
        writeOptions.close();
        syncedWriteOptions.close();
        familyOptions.close();
        dbOptions.close();
        cache.close();
    }
}
