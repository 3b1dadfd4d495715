package dev.strata.bench.peers;

import dev.strata.bench.load.AppendTarget;
import dev.strata.bench.load.Payload;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The raw limit of a durable log on this disk: appenders hand their bytes to one syncer thread, which writes
 * everything waiting at the end of a file and calls {@code force(false)} (fdatasync) once for all of it, then
 * acknowledges them. No format, no index, no version check: the best group commit can do here.
 */
public final class FsyncGroupCommitTarget implements AppendTarget {

    private final FileChannel channel;
    private final Payload payload;
    private final BlockingQueue<Request> pending = new LinkedBlockingQueue<>();
    private final Thread syncer;
    private volatile boolean running = true;
    private long syncs;

    private record Request(int bytes, CompletableFuture<Void> done) {
    }

    public FsyncGroupCommitTarget(Path file, Payload payload) {
        try {
            this.channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.payload = payload;
        this.syncer = new Thread(this::syncLoop, "raw-fsync-syncer");
        syncer.setDaemon(true);
        syncer.start();
    }

    @Override
    public String name() {
        return "raw-fsync";
    }

    @Override
    public String durability() {
        return "on disk: write + fdatasync, one sync per group of waiting appends";
    }

    @Override
    public boolean checksExpectedVersion() {
        return false;
    }

    /** Syncs done so far (for a report of events per sync). */
    public synchronized long syncs() {
        return syncs;
    }

    @Override
    public Session session(int thread) {
        return new Session() {
            @Override
            public void append(String stream, long expectedVersion, int count) {
                appendAsync(stream, expectedVersion, count).join();
            }

            @Override
            public CompletableFuture<Void> appendAsync(String stream, long expectedVersion, int count) {
                CompletableFuture<Void> done = new CompletableFuture<>();
                pending.add(new Request(count * payload.size(), done));
                return done;
            }
        };
    }

    private void syncLoop() {
        List<Request> batch = new ArrayList<>();
        ByteBuffer buffer = ByteBuffer.allocateDirect(1 << 20);
        byte[] one = payload.json();
        while (running || !pending.isEmpty()) {
            try {
                Request first = pending.poll(10, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                pending.drainTo(batch);
                int total = 0;
                for (Request request : batch) {
                    total += request.bytes();
                }
                if (buffer.capacity() < total) {
                    buffer = ByteBuffer.allocateDirect(Integer.highestOneBit(total) << 1);
                }
                buffer.clear();
                while (buffer.position() + one.length <= total) {
                    buffer.put(one);
                }
                buffer.flip();
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                channel.force(false);
                synchronized (this) {
                    syncs++;
                }
                batch.forEach(request -> request.done().complete(null));
            } catch (IOException | RuntimeException e) {
                batch.forEach(request -> request.done().completeExceptionally(e));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            batch.clear();
        }
    }

    @Override
    public void close() {
        running = false;
        try {
            syncer.join(TimeUnit.SECONDS.toMillis(10));
            channel.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
