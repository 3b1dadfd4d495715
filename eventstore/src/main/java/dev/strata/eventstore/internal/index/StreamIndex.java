package dev.strata.eventstore.internal.index;

import dev.strata.eventstore.StorageException;
import dev.strata.eventstore.internal.log.Commit;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.BloomFilter;
import org.rocksdb.CompressionType;
import org.rocksdb.Env;
import org.rocksdb.FlushOptions;
import org.rocksdb.LRUCache;
import org.rocksdb.Options;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.SstFileManager;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * The store's derived index in RocksDB, rebuilt from the log whenever it is missing or disagrees with it. The
 * write-ahead log is off: every batch carries the checkpoint it reaches, a crash loses only unflushed batches
 * (never half of one), and the store catches up from the log on open.
 *
 * <pre>
 * key                                                   value
 * 'v' stream 0x00 firstVersion(u64 BE)                   logIndex(i64) firstPosition(i64) count(i32)   one per stream section
 * 'c' category 0x00 firstPosition(u64 BE)                logIndex(i64) count(i32)                     one per stream section
 * 'i' eventId(16 bytes BE)                               position(i64) logIndex(i64)                  one per event
 * 'p' bucket(u32 BE)                                     logIndex(i64)                                position map, see PositionMap
 * 'm' "checkpoint"                                       logIndex(i64) position(i64) lastEventId(16)   what the index covers
 * 'm' "format"                                           format(i32) = 1
 * </pre>
 * Values are little-endian; keys big-endian so that they sort by number.
 */
public final class StreamIndex implements Sections, AutoCloseable {

    public static final String DIRECTORY = "index";
    private static final int FORMAT = 1;
    private static final byte[] CHECKPOINT_KEY = "mcheckpoint".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] FORMAT_KEY = "mformat".getBytes(StandardCharsets.US_ASCII);

    static {
        RocksDB.loadLibrary();
    }

    /** A stream section: {@code count} events from {@code firstVersion}, at {@code firstPosition} in the record at {@code logIndex}. */
    public record Section(long firstVersion, int count, long logIndex, long firstPosition) {
        public long lastVersion() {
            return firstVersion + count - 1;
        }

        public long lastPosition() {
            return firstPosition + count - 1;
        }
    }

    /** Where an event id is stored. */
    public record IdLocation(long position, long logIndex) {
    }

    /** What the index covers: up to {@code commit}, whose last event has {@code lastEventId}. */
    public record Checkpoint(Commit commit, UUID lastEventId) {
        public static final Checkpoint NONE = new Checkpoint(Commit.NONE, new UUID(0, 0));
    }

    private final Path directory;
    private final Options options;
    private final LRUCache cache;
    private final SstFileManager sstFiles;
    private final WriteOptions writeOptions;
    private final ReadOptions readOptions;
    private RocksDB db;

    private StreamIndex(Path directory) {
        this.directory = directory;
        this.cache = new LRUCache(64L << 20);
        try {
            this.sstFiles = new SstFileManager(Env.getDefault());
        } catch (RocksDBException e) {
            throw new StorageException("cannot set up the index: " + e.getMessage(), e);
        }
        BlockBasedTableConfig table = new BlockBasedTableConfig()
                .setFilterPolicy(new BloomFilter(10, false))
                .setBlockCache(cache)
                .setBlockSize(16 << 10);
        this.options = new Options()
                .setCreateIfMissing(true)
                .setWriteBufferSize(64L << 20)
                .setMaxWriteBufferNumber(3)
                .setMaxBackgroundJobs(2)
                .setCompressionType(CompressionType.LZ4_COMPRESSION)
                .setMemtablePrefixBloomSizeRatio(0.05)
                .setMemtableWholeKeyFiltering(true)
                .setTableFormatConfig(table)
                // Lets RocksDB recover by itself from a full disk once space is back (no resume() in the Java API).
                .setSstFileManager(sstFiles);
        this.writeOptions = new WriteOptions().setDisableWAL(true);
        this.readOptions = new ReadOptions();
    }

    public static StreamIndex open(Path storeDirectory) {
        StreamIndex index = new StreamIndex(storeDirectory.resolve(DIRECTORY));
        index.openDatabase();
        return index;
    }

    /**
     * Opens an existing index read-only (a tool beside a running writer sees what the writer has flushed), or
     * returns null if there is none.
     */
    public static StreamIndex openReadOnly(Path storeDirectory) {
        Path directory = storeDirectory.resolve(DIRECTORY);
        if (!Files.isDirectory(directory)) {
            return null;
        }
        StreamIndex index = new StreamIndex(directory);
        try {
            index.db = RocksDB.openReadOnly(index.options, directory.toString());
            return index;
        } catch (RocksDBException e) {
            index.close();
            return null;
        }
    }

    /** Number of streams with at least one section. */
    public long countStreams() {
        long streams = 0;
        try (RocksIterator it = db.newIterator(readOptions)) {
            it.seek(new byte[] {'v'});
            while (it.isValid() && it.key()[0] == 'v') {
                byte[] key = it.key();
                streams++;
                // Skip the rest of this stream: its keys share the prefix up to the 0 separator.
                byte[] next = Arrays.copyOf(key, key.length - 8);
                next[next.length - 1] = 1;
                it.seek(next);
            }
        }
        return streams;
    }

    /** The section starting at {@code firstVersion} of {@code stream}, or null. */
    public Section section(String stream, long firstVersion) {
        byte[] value = get(streamKey(stream, firstVersion));
        return value == null ? null : section(streamKey(stream, firstVersion), streamPrefix(stream).length, value);
    }

    /** Whether the category index has the section starting at {@code firstPosition}. */
    public boolean hasCategorySection(String category, long firstPosition) {
        return get(categoryKey(category, firstPosition)) != null;
    }

    private void openDatabase() {
        try {
            Files.createDirectories(directory);
            db = RocksDB.open(options, directory.toString());
            byte[] format = db.get(FORMAT_KEY);
            if (format == null) {
                db.put(writeOptions, FORMAT_KEY, littleEndian(4).putInt(FORMAT).array());
            } else if (ByteBuffer.wrap(format).order(ByteOrder.LITTLE_ENDIAN).getInt() != FORMAT) {
                wipe();
            }
        } catch (Exception e) {
            throw new StorageException("cannot open the index in " + directory + ": " + e.getMessage(), e);
        }
    }

    /** Deletes the whole index; the store rebuilds it from the log. */
    public void wipe() {
        try {
            if (db != null) {
                db.close();
                db = null;
            }
            try (Options destroy = new Options()) {
                RocksDB.destroyDB(directory.toString(), destroy);
            }
            db = RocksDB.open(options, directory.toString());
            db.put(writeOptions, FORMAT_KEY, littleEndian(4).putInt(FORMAT).array());
        } catch (RocksDBException e) {
            throw new StorageException("cannot rebuild the index in " + directory + ": " + e.getMessage(), e);
        }
    }

    public Checkpoint checkpoint() {
        byte[] value = get(CHECKPOINT_KEY);
        if (value == null) {
            return Checkpoint.NONE;
        }
        ByteBuffer buffer = ByteBuffer.wrap(value).order(ByteOrder.LITTLE_ENDIAN);
        return new Checkpoint(new Commit(buffer.getLong(0), buffer.getLong(8)), new UUID(buffer.getLong(16), buffer.getLong(24)));
    }

    /**
     * Collects the index entries of a run of records; {@link #commit} writes them with their checkpoint, atomically.
     * The entries go to RocksDB in key order: inserting random event ids one after the other into the memtable's
     * skip list cost the indexer most of its time (profiled: re-finding the insert position), while sorted inserts
     * reuse the previous position. Keys are unique within a run (a stable sort would keep the last one anyway).
     */
    public final class Batch implements AutoCloseable {
        private final WriteBatch batch = new WriteBatch();
        private final ArrayList<byte[][]> entries = new ArrayList<>();

        public void section(String stream, String category, Section section) {
            put(streamKey(stream, section.firstVersion()), littleEndian(20)
                    .putLong(section.logIndex()).putLong(section.firstPosition()).putInt(section.count()).array());
            put(categoryKey(category, section.firstPosition()),
                    littleEndian(12).putLong(section.logIndex()).putInt(section.count()).array());
        }

        public void eventId(long mostSignificant, long leastSignificant, long position, long logIndex) {
            put(idKey(mostSignificant, leastSignificant), littleEndian(16).putLong(position).putLong(logIndex).array());
        }

        public void bucket(int bucket, long logIndex) {
            put(bucketKey(bucket), littleEndian(8).putLong(logIndex).array());
        }

        private void put(byte[] key, byte[] value) {
            entries.add(new byte[][] {key, value});
        }

        public int entries() {
            return entries.size();
        }

        /** Writes the collected entries and the checkpoint in one atomic batch. */
        public void commit(Checkpoint checkpoint) {
            try {
                entries.sort((a, b) -> Arrays.compareUnsigned(a[0], b[0]));
                for (byte[][] entry : entries) {
                    batch.put(entry[0], entry[1]);
                }
                batch.put(CHECKPOINT_KEY, littleEndian(32)
                        .putLong(checkpoint.commit().index()).putLong(checkpoint.commit().position())
                        .putLong(checkpoint.lastEventId().getMostSignificantBits())
                        .putLong(checkpoint.lastEventId().getLeastSignificantBits()).array());
                db.write(writeOptions, batch);
            } catch (RocksDBException e) {
                throw new StorageException("cannot write the index: " + e.getMessage(), e, true, false);
            } finally {
                batch.clear();
                entries.clear();
            }
        }

        @Override
        public void close() {
            batch.close();
        }
    }

    public Batch newBatch() {
        return new Batch();
    }

    /** The last section of {@code stream}, or null if the index has none. */
    @Override
    public Section lastSection(String stream) {
        byte[] prefix = streamPrefix(stream);
        try (RocksIterator it = db.newIterator(readOptions)) {
            it.seekForPrev(streamKey(stream, -1L)); // -1 is the largest unsigned version
            if (it.isValid() && startsWith(it.key(), prefix)) {
                return section(it.key(), prefix.length, it.value());
            }
            return null;
        }
    }

    /**
     * Where each of these ids is stored (null where it is not): {@code ids} holds {@code count} (msb, lsb) pairs. One
     * call for all the ids of an append, where one lookup each crossed into RocksDB once per event.
     */
    public IdLocation[] findIds(long[] ids, int count) {
        if (count == 1) {
            return new IdLocation[] {findId(ids[0], ids[1])};
        }
        List<byte[]> keys = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            keys.add(idKey(ids[2 * i], ids[2 * i + 1]));
        }
        List<byte[]> values;
        try {
            values = db.multiGetAsList(readOptions, keys);
        } catch (RocksDBException e) {
            throw new StorageException("cannot read the index: " + e.getMessage(), e, true, false);
        }
        IdLocation[] locations = new IdLocation[count];
        for (int i = 0; i < count; i++) {
            byte[] value = values.get(i);
            locations[i] = value == null ? null : idLocation(value);
        }
        return locations;
    }

    public IdLocation findId(long mostSignificant, long leastSignificant) {
        byte[] value = get(idKey(mostSignificant, leastSignificant));
        return value == null ? null : idLocation(value);
    }

    private static IdLocation idLocation(byte[] value) {
        ByteBuffer buffer = ByteBuffer.wrap(value).order(ByteOrder.LITTLE_ENDIAN);
        return new IdLocation(buffer.getLong(0), buffer.getLong(8));
    }

    @Override
    public void sections(String stream, long fromVersion, boolean forward, SectionVisitor visitor) {
        byte[] prefix = streamPrefix(stream);
        try (RocksIterator it = db.newIterator(readOptions)) {
            it.seekForPrev(streamKey(stream, fromVersion));
            if (forward) {
                boolean covers = it.isValid() && startsWith(it.key(), prefix)
                        && section(it.key(), prefix.length, it.value()).lastVersion() >= fromVersion;
                if (!covers) {
                    it.seek(streamKey(stream, fromVersion));
                }
            }
            while (it.isValid() && startsWith(it.key(), prefix)) {
                if (!visitor.visit(section(it.key(), prefix.length, it.value()))) {
                    return;
                }
                if (forward) {
                    it.next();
                } else {
                    it.prev();
                }
            }
        }
    }

    @Override
    public void categorySections(String category, long fromPosition, SectionVisitor visitor) {
        byte[] prefix = categoryPrefix(category);
        try (RocksIterator it = db.newIterator(readOptions)) {
            it.seekForPrev(categoryKey(category, fromPosition));
            boolean covers = false;
            if (it.isValid() && startsWith(it.key(), prefix)) {
                ByteBuffer value = ByteBuffer.wrap(it.value()).order(ByteOrder.LITTLE_ENDIAN);
                long first = ByteBuffer.wrap(it.key(), prefix.length, 8).getLong();
                covers = first + value.getInt(8) - 1 >= fromPosition;
            }
            if (!covers) {
                it.seek(categoryKey(category, fromPosition));
            }
            while (it.isValid() && startsWith(it.key(), prefix)) {
                ByteBuffer value = ByteBuffer.wrap(it.value()).order(ByteOrder.LITTLE_ENDIAN);
                long first = ByteBuffer.wrap(it.key(), prefix.length, 8).getLong();
                if (!visitor.visit(new Section(-1, value.getInt(8), value.getLong(0), first))) {
                    return;
                }
                it.next();
            }
        }
    }

    /** Visits the persisted position-map buckets in order: {@code (bucket, logIndex)}. */
    public void buckets(BucketVisitor visitor) {
        try (RocksIterator it = db.newIterator(readOptions)) {
            it.seek(new byte[] {'p'});
            while (it.isValid() && it.key()[0] == 'p') {
                int bucket = ByteBuffer.wrap(it.key(), 1, 4).getInt();
                long logIndex = ByteBuffer.wrap(it.value()).order(ByteOrder.LITTLE_ENDIAN).getLong();
                if (!visitor.visit(bucket, logIndex)) {
                    return;
                }
                it.next();
            }
        }
    }

    @FunctionalInterface
    public interface SectionVisitor {
        /** @return false to stop */
        boolean visit(Section section);
    }

    @FunctionalInterface
    public interface BucketVisitor {
        /** @return false to stop */
        boolean visit(int bucket, long logIndex);
    }

    /** Flushes memtables so the next open needs no catch-up. */
    public void flush() {
        try (FlushOptions flush = new FlushOptions().setWaitForFlush(true)) {
            db.flush(flush);
        } catch (RocksDBException e) {
            throw new StorageException("cannot flush the index: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        if (db != null) {
            db.close();
            db = null;
        }
        readOptions.close();
        writeOptions.close();
        options.close();
        sstFiles.close();
        cache.close();
    }

    private byte[] get(byte[] key) {
        try {
            return db.get(readOptions, key);
        } catch (RocksDBException e) {
            throw new StorageException("cannot read the index: " + e.getMessage(), e, true, false);
        }
    }

    private static Section section(byte[] key, int prefixLength, byte[] value) {
        long firstVersion = ByteBuffer.wrap(key, prefixLength, 8).getLong();
        ByteBuffer buffer = ByteBuffer.wrap(value).order(ByteOrder.LITTLE_ENDIAN);
        return new Section(firstVersion, buffer.getInt(16), buffer.getLong(0), buffer.getLong(8));
    }

    private static byte[] streamPrefix(String stream) {
        return prefix('v', stream);
    }

    private static byte[] categoryPrefix(String category) {
        return prefix('c', category);
    }

    private static byte[] prefix(char tag, String name) {
        byte[] key = new byte[name.length() + 2];
        key[0] = (byte) tag;
        name.getBytes(0, name.length(), key, 1); // names are validated ASCII
        key[key.length - 1] = 0;
        return key;
    }

    static byte[] streamKey(String stream, long version) {
        return withLong(streamPrefix(stream), version);
    }

    static byte[] categoryKey(String category, long position) {
        return withLong(categoryPrefix(category), position);
    }

    private static byte[] withLong(byte[] prefix, long value) {
        byte[] key = Arrays.copyOf(prefix, prefix.length + 8);
        ByteBuffer.wrap(key, prefix.length, 8).putLong(value);
        return key;
    }

    private static byte[] idKey(long mostSignificant, long leastSignificant) {
        return ByteBuffer.allocate(17).put((byte) 'i').putLong(mostSignificant).putLong(leastSignificant).array();
    }

    private static byte[] bucketKey(int bucket) {
        return ByteBuffer.allocate(5).put((byte) 'p').putInt(bucket).array();
    }

    private static ByteBuffer littleEndian(int size) {
        return ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
    }

    private static boolean startsWith(byte[] key, byte[] prefix) {
        return key.length >= prefix.length && Arrays.equals(key, 0, prefix.length, prefix, 0, prefix.length);
    }
}
