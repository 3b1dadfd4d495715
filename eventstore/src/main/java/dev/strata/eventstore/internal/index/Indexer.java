package dev.strata.eventstore.internal.index;

import dev.strata.eventstore.StreamNames;
import dev.strata.eventstore.internal.Signal;
import dev.strata.eventstore.internal.codec.RecordView;
import dev.strata.eventstore.internal.log.ChronicleEventLog;
import dev.strata.eventstore.internal.log.Commit;
import dev.strata.eventstore.internal.log.LogCursor;
import dev.strata.eventstore.internal.log.PositionMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the {@link StreamIndex} up with the log: reads committed records after the index checkpoint and writes
 * their entries in large batches, off the writer's path. Runs on its own thread once the store is open; on open
 * the same code catches up synchronously (and then also fills the in-memory position map).
 *
 * <p>Readers of streams and categories wait until {@link #indexed()} reaches the commit they read at, so a read
 * after an acknowledged append sees it.
 */
public final class Indexer implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(Indexer.class);
    private static final int MAX_BATCH_ENTRIES = 32_768;
    /**
     * With fewer events than this waiting, the indexer lingers up to {@link #LINGER_MICROS} for more: one RocksDB
     * write per small append costs more than the indexing itself. Nobody waits for the linger: stream reads do not
     * need the indexer, and a category read that does calls {@link #hurry()}.
     */
    private static final long LINGER_EVENTS = 1024;
    private static final long LINGER_MICROS = 1000;

    private final ChronicleEventLog log;
    private final StreamIndex index;
    private final Signal committedSignal;
    private final Signal indexedSignal;
    private volatile Commit indexed;
    private volatile boolean running = true;
    private volatile boolean hurry;
    private volatile Throwable failure;
    private UUID lastEventId;

    public Indexer(ChronicleEventLog log, StreamIndex index, Signal committedSignal, Signal indexedSignal) {
        this.log = log;
        this.index = index;
        this.committedSignal = committedSignal;
        this.indexedSignal = indexedSignal;
        StreamIndex.Checkpoint checkpoint = index.checkpoint();
        this.indexed = checkpoint.commit();
        this.lastEventId = checkpoint.lastEventId();
    }

    public Commit indexed() {
        return indexed;
    }

    /** The error the indexer is retrying after, or null while it is healthy. */
    public Throwable failure() {
        return failure;
    }

    /**
     * Checks the index against the log, rebuilding it if they disagree, loads the position map, and catches up to
     * {@code head}. Before the writer starts; reports progress through {@code progress} for long rebuilds.
     */
    public void recover(Commit head, Consumer<String> progress) {
        PositionMap positions = log.positions();
        if (!agreesWithLog(head)) {
            index.wipe();
            indexed = Commit.NONE;
            lastEventId = StreamIndex.Checkpoint.NONE.lastEventId();
        }
        long coveredUpTo = indexed.position();
        index.buckets((bucket, logIndex) -> {
            if (((long) bucket << PositionMap.BUCKET_BITS) > coveredUpTo) {
                return false;
            }
            positions.load(bucket, logIndex);
            return true;
        });
        long behind = head.position() - indexed.position();
        if (behind > 0) {
            LOG.info("Indexing {} events the index does not have yet (positions {}..{})", behind, indexed.position() + 1, head.position());
        }
        long started = System.nanoTime();
        long[] lastReport = {started};
        catchUp(head, true, done -> {
            long now = System.nanoTime();
            if (now - lastReport[0] > TimeUnit.SECONDS.toNanos(2)) {
                lastReport[0] = now;
                progress.accept(String.format("indexing: position %d of %d (%.0f%%)", done, head.position(),
                        100.0 * done / Math.max(1, head.position())));
            }
        });
        if (behind > 0) {
            LOG.info("Index caught up to position {} in {} ms", head.position(), TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
        }
    }

    /** The checkpoint must name a whole record of the log with the same last position and last event id. */
    private boolean agreesWithLog(Commit head) {
        Commit checkpoint = indexed;
        if (checkpoint.index() < 0) {
            return true;
        }
        if (checkpoint.position() > head.position()) {
            LOG.warn("The index is ahead of the log (position {} > {}): rebuilding it from the log", checkpoint.position(), head.position());
            return false;
        }
        try (LogCursor cursor = log.cursor()) {
            cursor.seekIndex(checkpoint.index());
            if (cursor.next(head)) {
                RecordView view = cursor.view();
                if (view.lastPosition() == checkpoint.position() && lastEventId.equals(view.eventId(view.eventCount() - 1))) {
                    return true;
                }
            }
        } catch (RuntimeException e) {
            LOG.debug("index checkpoint check failed", e);
        }
        LOG.warn("The index does not match the log at its checkpoint (position {}): rebuilding it from the log", checkpoint.position());
        return false;
    }

    /** Indexes whatever is committed and not indexed yet, on the calling thread (after {@link #stop()}). */
    public void drain() {
        Commit head = log.committed();
        if (head.position() > indexed.position()) {
            catchUp(head, false, done -> { });
        }
    }

    @Override
    public void run() {
        long backoffMillis = 100;
        while (running) {
            try {
                Commit head = log.committed();
                if (head.position() > indexed.position()) {
                    if (head.position() - indexed.position() < LINGER_EVENTS && !hurry) {
                        committedSignal.await(() -> !running || hurry
                                || log.committed().position() - indexed.position() >= LINGER_EVENTS, LINGER_MICROS, TimeUnit.MICROSECONDS);
                        head = log.committed();
                    }
                    hurry = false;
                    catchUp(head, false, done -> { });
                } else {
                    committedSignal.await(() -> !running || log.committed().position() > indexed.position(), 100, TimeUnit.MILLISECONDS);
                }
                if (failure != null) {
                    LOG.info("Indexer recovered at position {}", indexed.position());
                    failure = null;
                    backoffMillis = 100;
                }
            } catch (RuntimeException e) {
                // A full disk or an I/O error: keep the thread, retry with backoff; RocksDB recovers its own
                // background errors once there is space again.
                if (failure == null) {
                    LOG.error("Indexer cannot index after position {}; retrying: {}", indexed.position(), e.toString());
                }
                failure = e;
                indexedSignal.signalAll();
                try {
                    Thread.sleep(backoffMillis);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    return;
                }
                backoffMillis = Math.min(backoffMillis * 2, 5_000);
            }
        }
    }

    /** Someone waits for the index: index what is committed now, without lingering. */
    public void hurry() {
        if (!hurry) {
            hurry = true;
            committedSignal.signalAll();
        }
    }

    public void stop() {
        running = false;
        committedSignal.signalAll();
    }

    /** Indexes every committed record after the checkpoint up to {@code head}. */
    private void catchUp(Commit head, boolean fillPositionMap, java.util.function.LongConsumer progress) {
        PositionMap positions = log.positions();
        try (LogCursor cursor = log.cursor(); StreamIndex.Batch batch = index.newBatch()) {
            Commit from = indexed;
            if (from.index() < 0) {
                cursor.toStart();
            } else {
                cursor.seekIndex(from.index());
                cursor.next(head); // the checkpoint record itself, already indexed
            }
            Commit reached = from;
            while (cursor.next(head)) {
                RecordView view = cursor.view();
                long logIndex = cursor.index();
                for (int s = 0; s < view.sectionCount(); s++) {
                    String stream = view.sectionStream(s);
                    batch.section(stream, StreamNames.categoryOf(stream), new StreamIndex.Section(
                            view.sectionFirstVersion(s), view.sectionEventCount(s), logIndex, view.sectionFirstPosition(s)));
                }
                for (int e = 0; e < view.eventCount(); e++) {
                    batch.eventId(view.eventIdMostSignificant(e), view.eventIdLeastSignificant(e), view.firstPosition() + e, logIndex);
                }
                long firstBucket = (view.firstPosition() + PositionMap.BUCKET_SIZE - 1) >>> PositionMap.BUCKET_BITS;
                for (long b = firstBucket; (b << PositionMap.BUCKET_BITS) <= view.lastPosition(); b++) {
                    batch.bucket((int) b, logIndex);
                }
                if (fillPositionMap) {
                    positions.record(logIndex, view.firstPosition(), view.lastPosition());
                }
                reached = new Commit(logIndex, view.lastPosition());
                lastEventId = view.eventId(view.eventCount() - 1);
                if (batch.entries() >= MAX_BATCH_ENTRIES) {
                    publish(batch, reached);
                    progress.accept(reached.position());
                }
            }
            if (!reached.equals(indexed)) {
                publish(batch, reached);
                progress.accept(reached.position());
            }
        }
    }

    private void publish(StreamIndex.Batch batch, Commit reached) {
        batch.commit(new StreamIndex.Checkpoint(reached, lastEventId));
        indexed = reached;
        indexedSignal.signalAll();
    }
}
