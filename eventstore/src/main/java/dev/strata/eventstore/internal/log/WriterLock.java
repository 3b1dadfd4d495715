package dev.strata.eventstore.internal.log;

import dev.strata.eventstore.StorageException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The one-writer-process guarantee: an OS lock ({@code fcntl}) on {@code writer.lock}, held for the life of
 * the store. Chronicle itself lets two processes append and interleaves them (CHRONICLE-NOTES.md section 5).
 *
 * <p>The channel stays open for the lifetime of the lock and nothing else in the process may open this file:
 * closing any other channel on it would silently drop the POSIX lock. The kernel frees the lock when the
 * process dies, even as an unreaped zombie, so a crashed writer never blocks the next one.
 */
public final class WriterLock implements AutoCloseable {

    public static final String FILE_NAME = "writer.lock";

    private final FileChannel channel;
    private final FileLock lock;

    private WriterLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    public static WriterLock acquire(Path storeDirectory) {
        Path file = storeDirectory.resolve(FILE_NAME);
        FileChannel channel = null;
        try {
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null;
            }
            if (lock == null) {
                String holder = readHolder(channel);
                channel.close();
                throw new StorageException("store " + storeDirectory + " is open for writing by another process"
                        + (holder.isEmpty() ? "" : " (" + holder + ")") + " or by this one; a store has one writer", null);
            }
            channel.truncate(0);
            channel.write(ByteBuffer.wrap(("pid " + ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII)), 0);
            return new WriterLock(channel, lock);
        } catch (IOException e) {
            closeQuietly(channel);
            throw new StorageException("cannot lock " + file + ": " + e.getMessage(), e);
        }
    }

    private static String readHolder(FileChannel channel) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(64);
        channel.read(buffer, 0);
        return new String(buffer.array(), 0, buffer.position(), StandardCharsets.US_ASCII).trim();
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // already failing; the first error is the one to report
            }
        }
    }

    @Override
    public void close() {
        try {
            lock.release();
            channel.close();
        } catch (IOException e) {
            throw new StorageException("cannot release writer lock: " + e.getMessage(), e);
        }
    }
}
