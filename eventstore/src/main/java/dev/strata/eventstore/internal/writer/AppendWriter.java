package dev.strata.eventstore.internal.writer;

import com.lmax.disruptor.EventHandler;
import dev.strata.eventstore.AppendRequest;
import dev.strata.eventstore.AppendResult;
import dev.strata.eventstore.DuplicateEventIdException;
import dev.strata.eventstore.EventData;
import dev.strata.eventstore.EventStoreException;
import dev.strata.eventstore.StorageException;
import dev.strata.eventstore.StreamVersions;
import dev.strata.eventstore.WrongExpectedVersionException;
import dev.strata.eventstore.internal.Signal;
import dev.strata.eventstore.internal.codec.EncodedAppend;
import dev.strata.eventstore.internal.codec.RecordView;
import dev.strata.eventstore.internal.index.Indexer;
import dev.strata.eventstore.internal.index.RecentSections;
import dev.strata.eventstore.internal.index.StreamIndex;
import dev.strata.eventstore.internal.log.ChronicleEventLog;
import dev.strata.eventstore.internal.log.LogCursor;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * The single writer: drains the append ring, checks idempotence and expected versions against its in-memory
 * state, assigns positions and versions, writes one record per append, commits once per drained batch (group
 * commit), then completes the appenders. Because only this thread assigns positions and it publishes a commit
 * only after the records are written (and synced in {@code FSYNC} mode), no reader can see a position before
 * the append that created it is acknowledged, and no position is ever skipped.
 *
 * <h2>What it keeps in memory, and why that is safe</h2>
 * <ul>
 *   <li>Stream versions, bounded by {@code streamCacheSize} (the streams written longest ago go first). An entry
 *       is evicted only once the index covers the stream's last event, so a miss can always be answered by the
 *       index.</li>
 *   <li>Event ids of records the index does not cover yet ({@link PendingIds}), dropped as the indexer passes
 *       them; older ids are looked up in the index.</li>
 * </ul>
 * Everything here is confined to the writer thread.
 */
public final class AppendWriter implements EventHandler<AppendSlot> {

    /**
     * How far the indexer may fall behind before the writer waits for it: bounds the pending ids (a few generations)
     * and so the cost of each idempotence check. The sustained append rate is the indexer's anyway.
     */
    private static final long MAX_INDEX_LAG = 4L * PendingIds.GENERATION;

    private static final class StreamState {
        long lastVersion;
        long lastPosition;

        StreamState(long lastVersion, long lastPosition) {
            this.lastVersion = lastVersion;
            this.lastPosition = lastPosition;
        }
    }

    private final ChronicleEventLog log;
    private final StreamIndex index;
    private final Indexer indexer;
    private final RecentSections recentSections;
    private final Signal committedSignal;
    private final Signal indexedSignal;
    private final InstantSource clock;
    private final int streamCacheSize;
    private final WriterMetrics metrics;

    private final HashMap<String, StreamState> streams = new HashMap<>(1 << 14);
    private final PendingIds pendingIds = new PendingIds();
    private final ArrayList<AppendSlot> batch = new ArrayList<>();
    private boolean syncRequested;
    private int eventsInBatch;
    private long batchTimeMicros;
    private LogCursor dedupCursor;
    private long[] lookups = new long[256]; // ids to look up in the index: (msb, lsb) pairs
    private volatile Thread thread;

    public AppendWriter(ChronicleEventLog log, StreamIndex index, Indexer indexer, RecentSections recentSections,
                        Signal committedSignal, Signal indexedSignal, InstantSource clock, int streamCacheSize, WriterMetrics metrics) {
        this.log = log;
        this.index = index;
        this.indexer = indexer;
        this.recentSections = recentSections;
        this.committedSignal = committedSignal;
        this.indexedSignal = indexedSignal;
        this.clock = clock;
        this.streamCacheSize = streamCacheSize;
        this.metrics = metrics;
    }

    /** The writer thread, once started: appending from it would deadlock, so the store refuses. */
    public Thread thread() {
        return thread;
    }

    @Override
    public void onStart() {
        thread = Thread.currentThread();
    }

    @Override
    public void onShutdown() {
        if (dedupCursor != null) {
            dedupCursor.close();
            dedupCursor = null;
        }
        log.syncOnClose();
    }

    @Override
    public void onBatchStart(long batchSize, long queueDepth) {
        Instant now = clock.instant();
        batchTimeMicros = Math.multiplyExact(now.getEpochSecond(), 1_000_000L) + now.getNano() / 1000;
    }

    @Override
    public void onEvent(AppendSlot slot, long sequence, boolean endOfBatch) {
        if (slot.kind == AppendSlot.Kind.SYNC) {
            syncRequested = true;
        } else {
            process(slot);
        }
        batch.add(slot);
        if (endOfBatch) {
            finishBatch();
        }
    }

    private void process(AppendSlot slot) {
        try {
            EncodedAppend append = slot.append;
            List<AppendResult> original = findRetry(append);
            if (original != null) {
                slot.results = original;
                metrics.idempotentRetry();
                return;
            }
            slot.results = write(append);
        } catch (WrongExpectedVersionException e) {
            metrics.conflict();
            slot.failure = e;
        } catch (EventStoreException e) {
            slot.failure = e;
        } catch (RuntimeException | InternalError e) {
            // InternalError: an mmap write that the OS could not back (e.g. SIGBUS on a full disk).
            slot.failure = new StorageException("append failed: " + e, e, true, false);
        }
    }

    private List<AppendResult> write(EncodedAppend append) {
        List<AppendRequest> requests = append.requests();
        long[] firstVersions = new long[requests.size()];
        for (int s = 0; s < requests.size(); s++) {
            AppendRequest request = requests.get(s);
            StreamState state = state(request.stream());
            long actual = state == null ? StreamVersions.NO_STREAM : state.lastVersion;
            if (!request.expectedVersion().matches(actual)) {
                throw new WrongExpectedVersionException(request.stream(), request.expectedVersion(), actual);
            }
            firstVersions[s] = actual + 1;
        }
        long first = log.written().position() + 1;
        long last = first + append.eventCount() - 1;
        append.stamp(first, batchTimeMicros, firstVersions);
        long logIndex = log.append(append.record(), append.length(), first, last);

        List<AppendResult> results = new ArrayList<>(requests.size());
        long position = first;
        for (int s = 0; s < requests.size(); s++) {
            AppendRequest request = requests.get(s);
            int count = request.events().size();
            long lastVersion = firstVersions[s] + count - 1;
            results.add(new AppendResult(request.stream(), firstVersions[s], lastVersion, position, position + count - 1));
            recentSections.add(request.stream(), new StreamIndex.Section(firstVersions[s], count, logIndex, position));
            StreamState state = streams.get(request.stream());
            if (state == null) {
                streams.put(request.stream(), new StreamState(lastVersion, position + count - 1));
            } else {
                state.lastVersion = lastVersion;
                state.lastPosition = position + count - 1;
            }
            for (EventData data : request.events()) {
                pendingIds.add(data.id().getMostSignificantBits(), data.id().getLeastSignificantBits(), position, logIndex);
                position++;
            }
        }
        eventsInBatch += append.eventCount();
        metrics.appended(append.eventCount());
        return results;
    }

    private StreamState state(String stream) {
        StreamState state = streams.get(stream);
        if (state == null) {
            // Not cached: either never written since open, or evicted after the index covered it.
            StreamIndex.Section section = index.lastSection(stream);
            if (section != null) {
                state = new StreamState(section.lastVersion(), section.lastPosition());
                streams.put(stream, state);
            }
        }
        return state;
    }

    /**
     * Applies the idempotence rule (see {@code EventAppender}).
     *
     * @return the original results if the append is a retry, null if none of its ids is stored
     */
    private List<AppendResult> findRetry(EncodedAppend append) {
        List<AppendRequest> requests = append.requests();
        StreamIndex.IdLocation[][] locations = new StreamIndex.IdLocation[requests.size()][];
        boolean anyStored = false;
        int unknown = 0;
        for (int s = 0; s < requests.size(); s++) {
            List<EventData> events = requests.get(s).events();
            locations[s] = new StreamIndex.IdLocation[events.size()];
            for (int e = 0; e < events.size(); e++) {
                UUID id = events.get(e).id();
                StreamIndex.IdLocation location = pendingIds.find(id.getMostSignificantBits(), id.getLeastSignificantBits());
                if (location == null) {
                    unknown = lookUpLater(unknown, id);
                }
                locations[s][e] = location;
                anyStored |= location != null;
            }
        }
        if (unknown > 0) {
            StreamIndex.IdLocation[] found = index.findIds(lookups, unknown);
            int next = 0;
            for (int s = 0; s < requests.size(); s++) {
                StreamIndex.IdLocation[] section = locations[s];
                for (int e = 0; e < section.length; e++) {
                    if (section[e] == null) {
                        section[e] = found[next++];
                        anyStored |= section[e] != null;
                    }
                }
            }
        }
        if (!anyStored) {
            return null;
        }
        List<AppendResult> original = new ArrayList<>(requests.size());
        for (int s = 0; s < requests.size(); s++) {
            original.add(originalOf(append, s, locations[s]));
        }
        return original;
    }

    private int lookUpLater(int count, UUID id) {
        if (2 * count + 2 > lookups.length) {
            lookups = Arrays.copyOf(lookups, lookups.length * 2);
        }
        lookups[2 * count] = id.getMostSignificantBits();
        lookups[2 * count + 1] = id.getLeastSignificantBits();
        return count + 1;
    }

    private AppendResult originalOf(EncodedAppend append, int section, StreamIndex.IdLocation[] locations) {
        AppendRequest request = append.requests().get(section);
        List<EventData> events = request.events();
        StreamIndex.IdLocation known = null;
        UUID knownId = null;
        for (int e = 0; e < events.size(); e++) {
            if (locations[e] != null) {
                known = locations[e];
                knownId = events.get(e).id();
                break;
            }
        }
        if (known == null) {
            throw new DuplicateEventIdException(firstStoredId(append), request.stream(), "?", -1,
                    "the append mixes stored events with new ones in other streams");
        }
        RecordView stored = readRecord(known.logIndex());
        int storedSection = sectionHolding(stored, known.position());
        String storedStream = stored.sectionStream(storedSection);
        if (!storedStream.equals(request.stream())) {
            throw new DuplicateEventIdException(knownId, request.stream(), storedStream, known.position(), "it is stored in another stream");
        }
        for (int e = 0; e < events.size(); e++) {
            if (locations[e] == null) {
                throw new DuplicateEventIdException(knownId, request.stream(), storedStream, known.position(),
                        "the append mixes it with new events");
            }
        }
        long firstPosition = stored.sectionFirstPosition(storedSection);
        int count = stored.sectionEventCount(storedSection);
        if (count != events.size() || locations[0].position() != firstPosition) {
            throw new DuplicateEventIdException(knownId, request.stream(), storedStream, known.position(),
                    "the append is a different set of events than the one that stored it");
        }
        boolean sameContent = Arrays.equals(append.record(), append.eventsStart(section), append.eventsEnd(section),
                stored.buffer(), stored.sectionEventsStart(storedSection), stored.sectionEventsEnd(storedSection));
        if (!sameContent) {
            throw new DuplicateEventIdException(knownId, request.stream(), storedStream, known.position(),
                    "the stored events have other content (type, content type, metadata or data)");
        }
        long firstVersion = stored.sectionFirstVersion(storedSection);
        return new AppendResult(storedStream, firstVersion, firstVersion + count - 1, firstPosition, firstPosition + count - 1);
    }

    private static UUID firstStoredId(EncodedAppend append) {
        return append.requests().get(0).events().get(0).id();
    }

    private RecordView readRecord(long logIndex) {
        if (dedupCursor == null) {
            dedupCursor = log.cursor();
        }
        dedupCursor.seekIndex(logIndex);
        if (!dedupCursor.next(log.written())) {
            throw new StorageException("the record at log index " + Long.toHexString(logIndex) + " named by the index cannot be read", null);
        }
        return dedupCursor.view();
    }

    private static int sectionHolding(RecordView view, long position) {
        for (int s = 0; s < view.sectionCount(); s++) {
            long first = view.sectionFirstPosition(s);
            if (position >= first && position < first + view.sectionEventCount(s)) {
                return s;
            }
        }
        throw new StorageException("position " + position + " is not in the record the index names", null);
    }

    private void finishBatch() {
        int events = eventsInBatch;
        eventsInBatch = 0;
        try {
            if (syncRequested) {
                log.force();
            }
            long syncsBefore = log.syncs();
            log.commit();
            if (log.syncs() > syncsBefore) {
                metrics.synced(events);
            }
        } catch (RuntimeException e) {
            StorageException failure = e instanceof StorageException storage ? storage
                    : new StorageException("commit failed: " + e, e, true, true);
            for (AppendSlot slot : batch) {
                if (slot.failure == null) {
                    slot.failure = failure;
                }
            }
        } finally {
            syncRequested = false;
        }
        committedSignal.signalAll();
        for (AppendSlot slot : batch) {
            slot.complete();
            slot.clear();
        }
        metrics.batch(batch.size());
        batch.clear();
        if (events > 0) {
            forgetIndexed();
        }
    }

    /** Drops what the index now answers, and waits if the indexer has fallen too far behind. */
    private void forgetIndexed() {
        long indexed = indexer.indexed().position();
        if (log.written().position() - indexed > MAX_INDEX_LAG) {
            indexer.hurry();
            indexedSignal.await(() -> log.written().position() - indexer.indexed().position() <= MAX_INDEX_LAG / 2,
                    10, TimeUnit.SECONDS);
            indexed = indexer.indexed().position();
        }
        pendingIds.forgetUpTo(indexed);
        recentSections.forgetUpTo(indexed);
        if (streams.size() > streamCacheSize) {
            evictStreams(indexed);
        }
    }

    /**
     * Drops the streams written longest ago (a quarter of the cache), among those the index covers. Runs rarely:
     * only when the cache is full, and then frees room for many new streams.
     */
    private void evictStreams(long indexed) {
        long[] written = new long[streams.size()];
        int n = 0;
        for (StreamState state : streams.values()) {
            written[n++] = state.lastPosition;
        }
        Arrays.sort(written, 0, n);
        long cutoff = Math.min(indexed, written[Math.max(0, n / 4)]);
        Iterator<Map.Entry<String, StreamState>> entries = streams.entrySet().iterator();
        while (entries.hasNext()) {
            if (entries.next().getValue().lastPosition <= cutoff) {
                entries.remove();
            }
        }
    }
}
