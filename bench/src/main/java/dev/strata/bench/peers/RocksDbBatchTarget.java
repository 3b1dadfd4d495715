package dev.strata.bench.peers;

import dev.strata.bench.load.AppendTarget;
import dev.strata.bench.load.Payload;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * The raw limit under Strata's index and read models: one RocksDB WriteBatch per append with one put per event
 * (key = stream name + 8-byte version, value = the event bytes), write-ahead log on, not synced. No version check.
 */
public final class RocksDbBatchTarget implements AppendTarget {

    private final RocksDB db;
    private final Options options;
    private final WriteOptions writeOptions = new WriteOptions();
    private final Payload payload;

    public RocksDbBatchTarget(Path directory, Payload payload) {
        RocksDB.loadLibrary();
        this.options = new Options().setCreateIfMissing(true);
        try {
            this.db = RocksDB.open(options, directory.toString());
        } catch (RocksDBException e) {
            throw new IllegalStateException("cannot open RocksDB in " + directory, e);
        }
        this.payload = payload;
    }

    @Override
    public String name() {
        return "raw-rocksdb";
    }

    @Override
    public String durability() {
        return "page cache: RocksDB write-ahead log written, not synced";
    }

    @Override
    public boolean checksExpectedVersion() {
        return false;
    }

    @Override
    public Session session(int thread) {
        return new Session() {
            private final WriteBatch batch = new WriteBatch();

            @Override
            public void append(String stream, long expectedVersion, int count) {
                byte[] name = stream.getBytes(StandardCharsets.UTF_8);
                try {
                    for (int i = 0; i < count; i++) {
                        byte[] key = ByteBuffer.allocate(name.length + 8).put(name).putLong(expectedVersion + 1 + i).array();
                        batch.put(key, payload.json());
                    }
                    db.write(writeOptions, batch);
                } catch (RocksDBException e) {
                    throw new IllegalStateException("RocksDB write failed", e);
                } finally {
                    batch.clear();
                }
            }

            @Override
            public void close() {
                batch.close();
            }
        };
    }

    @Override
    public void close() {
        writeOptions.close();
        db.close();
        options.close();
    }
}
