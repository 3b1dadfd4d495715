package dev.strata.eventstore.internal;

import dev.strata.eventstore.EventStoreReader;
import dev.strata.eventstore.StoreClosedException;
import dev.strata.eventstore.internal.codec.RecordView;
import dev.strata.eventstore.internal.index.Sections;
import dev.strata.eventstore.internal.index.StreamIndex;
import dev.strata.eventstore.internal.index.TailSections;
import dev.strata.eventstore.internal.log.ChronicleEventLog;
import dev.strata.eventstore.internal.log.Commit;
import dev.strata.eventstore.internal.log.LogCursor;
import dev.strata.eventstore.internal.log.PositionMap;

/**
 * A read-only snapshot of a store, for tools ({@code strata dump}, {@code stats}) and for reading a store another
 * process is writing: no writer lock, no recovery, nothing written. It shows what was committed when it opened;
 * the part of the log the index does not cover (not flushed by the writer yet) is indexed in memory on open.
 */
public final class ReadOnlyChronicleStore extends ChronicleReads implements EventStoreReader {

    private final StoreSettings settings;
    private final ChronicleEventLog log;
    private final StreamIndex index;
    private final TailSections sections;
    private final Commit indexed;
    private volatile boolean closed;

    private ReadOnlyChronicleStore(StoreSettings settings, ChronicleEventLog log) {
        super(log);
        this.settings = settings;
        this.log = log;
        StreamIndex opened = StreamIndex.openReadOnly(settings.directory());
        Commit head = log.committed();
        Commit covered = opened == null ? Commit.NONE : opened.checkpoint().commit();
        if (covered.position() > head.position()) {
            opened.close(); // ahead of the log: not to be trusted (the next writer rebuilds it)
            opened = null;
            covered = Commit.NONE;
        }
        this.index = opened;
        this.indexed = covered;
        PositionMap positions = log.positions();
        if (index != null) {
            long upTo = covered.position();
            index.buckets((bucket, logIndex) -> {
                if (((long) bucket << PositionMap.BUCKET_BITS) > upTo) {
                    return false;
                }
                positions.load(bucket, logIndex);
                return true;
            });
        }
        TailSections tail = new TailSections(index);
        try (LogCursor cursor = log.cursor()) {
            if (covered.index() < 0) {
                cursor.toStart();
            } else {
                cursor.seekIndex(covered.index());
                cursor.next(head);
            }
            while (cursor.next(head)) {
                RecordView view = cursor.view();
                tail.add(view, cursor.index());
                positions.record(cursor.index(), view.firstPosition(), view.lastPosition());
            }
        }
        this.sections = tail;
    }

    public static ReadOnlyChronicleStore open(StoreSettings settings) {
        ChronicleEventLog log = ChronicleEventLog.openReadOnly(settings.directory(), settings.rollCycle(), settings.blockSize());
        try {
            return new ReadOnlyChronicleStore(settings, log);
        } catch (RuntimeException e) {
            log.close();
            throw e;
        }
    }

    @Override
    public String name() {
        return settings.name();
    }

    /** The position up to which the on-disk index covers the log (the rest was indexed in memory on open). */
    public long indexedPosition() {
        return indexed.position();
    }

    /** Number of streams, from the index and the tail it does not cover. */
    public long countStreams() {
        long streams = index == null ? 0 : index.countStreams();
        for (String stream : sections.streams()) {
            if (index == null || index.lastSection(stream) == null) {
                streams++;
            }
        }
        return streams;
    }

    @Override
    public Sections index() {
        return sections;
    }

    @Override
    public LogCursor cursor() {
        requireOpen();
        return log.cursor();
    }

    @Override
    public void awaitIndexed(Commit commit) {
        // Everything up to the snapshot's commit is indexed on open.
    }

    @Override
    void requireOpen() {
        if (closed) {
            throw new StoreClosedException(settings.name());
        }
    }

    @Override
    public void close() {
        closed = true;
        if (index != null) {
            index.close();
        }
        log.close();
    }
}
