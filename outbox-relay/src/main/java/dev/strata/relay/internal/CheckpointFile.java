package dev.strata.relay.internal;

import dev.strata.relay.RelayStateException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;

/**
 * A relay's durable checkpoint: the last log position (or outbox id) its sink acknowledged. One small file per relay,
 * replaced atomically, plus a lock file that keeps two relays of one name from sharing it.
 *
 * <pre>
 * &lt;dir&gt;/&lt;name&gt;.checkpoint   28 bytes, little-endian
 *   0  int   magic 0x50435253 ("SRCP")
 *   4  int   format version (1)
 *   8  long  position: the last acknowledged position, -1 before the first
 *  16  long  written at, epoch milliseconds (for operators)
 *  24  int   CRC32C of bytes 0..23
 * &lt;dir&gt;/&lt;name&gt;.lock         empty; an OS file lock held while the relay runs
 * </pre>
 *
 * A write goes to {@code <name>.checkpoint.tmp}, is forced to disk, renamed over the checkpoint (atomic), and the
 * directory is forced: after a crash the file holds the old or the new position, never a mix. A checkpoint only
 * moves after the sink acknowledged, so a stale one means re-publishing (duplicates), never a gap. A file that fails
 * its checks stops the relay ({@link RelayStateException}) instead of silently starting over.
 */
public final class CheckpointFile implements AutoCloseable {

    private static final int MAGIC = 0x50435253;
    private static final int VERSION = 1;
    static final int SIZE = 28;

    private final Path file;
    private final Path temp;
    private final Path directory;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private final ByteBuffer buffer = ByteBuffer.allocate(SIZE).order(ByteOrder.LITTLE_ENDIAN);
    private long written;

    private CheckpointFile(Path directory, String name, FileChannel lockChannel, FileLock lock) {
        this.directory = directory;
        this.file = directory.resolve(name + ".checkpoint");
        this.temp = directory.resolve(name + ".checkpoint.tmp");
        this.lockChannel = lockChannel;
        this.lock = lock;
    }

    /** Opens (creating the directory if needed) and locks the checkpoint of relay {@code name}. */
    public static CheckpointFile open(Path directory, String name) {
        FileChannel channel = null;
        try {
            Files.createDirectories(directory);
            channel = FileChannel.open(directory.resolve(name + ".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null;
            }
            if (lock == null) {
                throw new RelayStateException("relay '" + name + "' is already running on " + directory
                        + " (its lock file is held): one relay per name and checkpoint directory");
            }
            CheckpointFile checkpoint = new CheckpointFile(directory, name, channel, lock);
            checkpoint.written = checkpoint.readFile();
            return checkpoint;
        } catch (IOException e) {
            closeQuietly(channel);
            throw new RelayStateException("cannot open the checkpoint of relay '" + name + "' in " + directory + ": " + e, e);
        } catch (RuntimeException e) {
            closeQuietly(channel);
            throw e;
        }
    }

    /** The last position written, -1 if none. */
    public long position() {
        return written;
    }

    /** Durably records {@code position}; no-op if it is already the recorded one. */
    public void write(long position) {
        if (position == written) {
            return;
        }
        buffer.clear();
        buffer.putInt(MAGIC).putInt(VERSION).putLong(position).putLong(System.currentTimeMillis());
        CRC32C crc = new CRC32C();
        crc.update(buffer.array(), 0, SIZE - 4);
        buffer.putInt((int) crc.getValue());
        buffer.flip();
        try {
            try (FileChannel out = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                while (buffer.hasRemaining()) {
                    out.write(buffer);
                }
                out.force(true);
            }
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            forceDirectory();
        } catch (IOException e) {
            throw new RelayStateException("cannot write checkpoint " + file + ": " + e, e);
        }
        written = position;
    }

    private long readFile() throws IOException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return -1;
        }
        ByteBuffer in = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        if (bytes.length != SIZE || in.getInt(0) != MAGIC) {
            throw new RelayStateException("checkpoint " + file + " is not a relay checkpoint (" + bytes.length
                    + " bytes): move it away to start from the beginning of the log");
        }
        if (in.getInt(4) != VERSION) {
            throw new RelayStateException("checkpoint " + file + " has format version " + in.getInt(4) + ", this relay reads " + VERSION);
        }
        CRC32C crc = new CRC32C();
        crc.update(bytes, 0, SIZE - 4);
        if ((int) crc.getValue() != in.getInt(SIZE - 4)) {
            throw new RelayStateException("checkpoint " + file + " fails its CRC check: move it away to start from the"
                    + " beginning of the log (at-least-once: that re-publishes everything)");
        }
        return in.getLong(8);
    }

    private void forceDirectory() throws IOException {
        try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
            dir.force(true);
        } catch (IOException e) {
            // Some file systems refuse to open a directory for reading; the rename is still atomic there.
        }
    }

    @Override
    public void close() {
        try {
            lock.release();
        } catch (IOException e) {
            // closing the channel releases it anyway
        }
        closeQuietly(lockChannel);
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException e) {
                // nothing to do: the process is giving the file up
            }
        }
    }
}
