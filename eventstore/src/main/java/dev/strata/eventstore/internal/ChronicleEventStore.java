package dev.strata.eventstore.internal;

import com.lmax.disruptor.BlockingWaitStrategy;
import com.lmax.disruptor.ExceptionHandler;
import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.dsl.Disruptor;
import com.lmax.disruptor.dsl.ProducerType;
import dev.strata.eventstore.AppendRequest;
import dev.strata.eventstore.AppendResult;
import dev.strata.eventstore.Durability;
import dev.strata.eventstore.EventAppender;
import dev.strata.eventstore.EventData;
import dev.strata.eventstore.EventStore;
import dev.strata.eventstore.EventStoreException;
import dev.strata.eventstore.ExpectedVersion;
import dev.strata.eventstore.StorageException;
import dev.strata.eventstore.StoreClosedException;
import dev.strata.eventstore.StreamNames;
import dev.strata.eventstore.Subscription;
import dev.strata.eventstore.SubscriptionListener;
import dev.strata.eventstore.ValidationException;
import dev.strata.eventstore.internal.codec.AppendEncoder;
import dev.strata.eventstore.internal.codec.EncodedAppend;
import dev.strata.eventstore.internal.index.Indexer;
import dev.strata.eventstore.internal.index.LiveSections;
import dev.strata.eventstore.internal.index.RecentSections;
import dev.strata.eventstore.internal.index.StreamIndex;
import dev.strata.eventstore.internal.log.ChronicleEventLog;
import dev.strata.eventstore.internal.log.Commit;
import dev.strata.eventstore.internal.log.CursorPool;
import dev.strata.eventstore.internal.log.LogCursor;
import dev.strata.eventstore.internal.read.CatchUpSubscription;
import dev.strata.eventstore.internal.read.CategoryPager;
import dev.strata.eventstore.internal.read.GlobalPager;
import dev.strata.eventstore.internal.read.StreamPager;
import dev.strata.eventstore.internal.writer.AppendSlot;
import dev.strata.eventstore.internal.writer.AppendWriter;
import dev.strata.eventstore.internal.writer.WriterMetrics;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tags;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded store: a Chronicle log written by one writer thread fed through a Disruptor ring, a RocksDB index
 * kept up by an indexer thread, and subscriptions that each follow the log on their own thread.
 *
 * <h2>Threads</h2>
 * {@code strata-writer} (the only thread that appends and commits), {@code strata-indexer}, one thread per
 * subscription, and in {@code OS} mode a timer that asks the writer for background syncs.
 *
 * <h2>Close order</h2>
 * Refuse new appends; stop subscriptions; drain the ring (in-flight appends complete); sync the log and write the
 * final watermark; let the indexer finish and flush the index; close the log; release the writer lock.
 */
public final class ChronicleEventStore extends ChronicleReads implements EventStore {

    private static final Logger LOG = LoggerFactory.getLogger(ChronicleEventStore.class);
    private static final long INDEX_WAIT_SECONDS = 30;

    private final StoreSettings settings;
    private final ChronicleEventLog log;
    private final StreamIndex index;
    private final RecentSections recentSections = new RecentSections();
    private final LiveSections sections;
    private final CursorPool cursors;
    private final Indexer indexer;
    private final Thread indexerThread;
    private final Signal committedSignal = new Signal();
    private final Signal indexedSignal = new Signal();
    private final AppendWriter writer;
    private final Disruptor<AppendSlot> disruptor;
    private final RingBuffer<AppendSlot> ring;
    private final ScheduledExecutorService backgroundSync;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final AtomicInteger appending = new AtomicInteger();
    private final Set<CatchUpSubscription> subscriptions = ConcurrentHashMap.newKeySet();
    private final AtomicInteger subscriptionIds = new AtomicInteger();
    private final EventAppender userAppender = new StoreAppender(false);
    private final EventAppender systemAppender = new StoreAppender(true);
    private final List<Meter> meters = new ArrayList<>();

    private ChronicleEventStore(StoreSettings settings, ChronicleEventLog log, long started) {
        super(log);
        this.settings = settings;
        this.log = log;
        try {
            StoreFiles.recordOpen(settings);
        } catch (RuntimeException e) {
            log.close();
            throw e;
        }
        StreamIndex openedIndex = null;
        try {
            openedIndex = StreamIndex.open(settings.directory());
            this.index = openedIndex;
            this.indexer = new Indexer(log, index, committedSignal, indexedSignal);
            indexer.recover(log.committed(), LOG::info);
        } catch (RuntimeException e) {
            if (openedIndex != null) {
                openedIndex.close();
            }
            log.close();
            throw e;
        }
        this.sections = new LiveSections(index, recentSections, () -> log.committed().position());
        this.cursors = new CursorPool(log);
        this.indexerThread = new Thread(indexer, "strata-indexer-" + settings.name());
        this.indexerThread.setDaemon(true);
        WriterMetrics writerMetrics = new WriterMetrics(settings.meterRegistry(), settings.name());
        meters.addAll(writerMetrics.meters());
        this.writer = new AppendWriter(log, index, indexer, recentSections, committedSignal, indexedSignal, settings.clock(),
                settings.streamCacheSize(), writerMetrics);
        this.disruptor = new Disruptor<>(AppendSlot::new, settings.ringSize(),
                runnable -> {
                    Thread thread = new Thread(runnable, "strata-writer-" + settings.name());
                    thread.setDaemon(true);
                    return thread;
                },
                ProducerType.MULTI, new BlockingWaitStrategy());
        disruptor.handleEventsWith(writer);
        disruptor.setDefaultExceptionHandler(new WriterExceptionHandler());
        this.ring = disruptor.start();
        indexerThread.start();
        this.backgroundSync = startBackgroundSync();
        registerGauges();
        Commit head = log.committed();
        LOG.info("Opened event store '{}' in {} ({} durability): head position {}, {} ms", settings.name(),
                settings.directory(), settings.durability(), head.position(),
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
    }

    public static ChronicleEventStore open(StoreSettings settings) {
        long started = System.nanoTime();
        ChronicleEventLog log = ChronicleEventLog.openForWriting(settings.directory(), settings.durability() == Durability.FSYNC,
                settings.rollCycle(), settings.blockSize());
        return new ChronicleEventStore(settings, log, started);
    }

    private ScheduledExecutorService startBackgroundSync() {
        if (settings.durability() != Durability.OS || settings.backgroundSyncInterval().isZero()) {
            return null;
        }
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, "strata-sync-" + settings.name());
            thread.setDaemon(true);
            return thread;
        });
        long millis = settings.backgroundSyncInterval().toMillis();
        timer.scheduleWithFixedDelay(this::requestSync, millis, millis, TimeUnit.MILLISECONDS);
        return timer;
    }

    private void requestSync() {
        if (!enter()) {
            return;
        }
        try {
            ring.publishEvent((slot, sequence) -> slot.set(AppendSlot.Kind.SYNC, null, null, null));
        } finally {
            appending.decrementAndGet();
        }
    }

    private void registerGauges() {
        Tags tags = Tags.of("store", settings.name());
        meters.add(Gauge.builder("strata.store.head.position", this, store -> store.log.committed().position())
                .description("Position of the last acknowledged event").tags(tags).register(settings.meterRegistry()));
        meters.add(Gauge.builder("strata.store.index.lag", this, store -> store.log.committed().position() - store.indexer.indexed().position())
                .description("Events acknowledged but not yet in the stream index").tags(tags).register(settings.meterRegistry()));
        meters.add(Gauge.builder("strata.store.subscriptions", subscriptions, Set::size)
                .description("Open subscriptions").tags(tags).register(settings.meterRegistry()));
    }

    // ---------------------------------------------------------------- appends

    @Override
    public AppendResult append(String stream, ExpectedVersion expectedVersion, List<EventData> events) {
        return userAppender.append(stream, expectedVersion, events);
    }

    @Override
    public CompletableFuture<AppendResult> appendAsync(String stream, ExpectedVersion expectedVersion, List<EventData> events) {
        return userAppender.appendAsync(stream, expectedVersion, events);
    }

    @Override
    public List<AppendResult> appendAll(List<AppendRequest> requests) {
        return userAppender.appendAll(requests);
    }

    @Override
    public CompletableFuture<List<AppendResult>> appendAllAsync(List<AppendRequest> requests) {
        return userAppender.appendAllAsync(requests);
    }

    private void submit(List<AppendRequest> requests, boolean system, CompletableFuture<AppendResult> single,
                        CompletableFuture<List<AppendResult>> multi) {
        if (Thread.currentThread() == writer.thread()) {
            throw new IllegalStateException("append called on the store's writer thread (from a future's callback?): "
                    + "it would wait for itself; chain with thenApplyAsync/thenComposeAsync instead");
        }
        EncodedAppend encoded = AppendEncoder.encode(validate(requests, system), settings.maxAppendBytes());
        if (!enter()) {
            StoreClosedException closedNow = new StoreClosedException(settings.name());
            if (single != null) {
                single.completeExceptionally(closedNow);
            } else {
                multi.completeExceptionally(closedNow);
            }
            return;
        }
        try {
            ring.publishEvent((slot, sequence, append, one, many) -> slot.set(AppendSlot.Kind.APPEND, append, one, many),
                    encoded, single, multi);
        } finally {
            appending.decrementAndGet();
        }
    }

    /** Admits an appender unless the store is closing; the closer waits for admitted ones to publish. */
    private boolean enter() {
        appending.incrementAndGet();
        if (closed.get()) {
            appending.decrementAndGet();
            return false;
        }
        return true;
    }

    private List<AppendRequest> validate(List<AppendRequest> requests, boolean system) {
        if (requests == null || requests.isEmpty()) {
            throw new ValidationException("requests", requests == null ? null : "[]", "must hold at least one stream's events");
        }
        if (requests.size() > 0xffff) {
            throw new ValidationException("requests", requests.size() + " streams", "must name at most 65535 streams");
        }
        // Most appends are one stream, often of one event: no sets for what cannot repeat (this runs on every append).
        AppendRequest only = requests.size() == 1 ? requests.get(0) : null;
        Set<String> streams = only == null ? new HashSet<>() : null;
        Set<UUID> ids = only == null || only.events().size() > 1 ? new HashSet<>() : null;
        int total = 0;
        for (AppendRequest request : requests) {
            if (request == null) {
                throw new ValidationException("requests", "a null request", "must not contain null");
            }
            if (system) {
                StreamNames.requireSystemStream(request.stream());
            } else {
                StreamNames.requireUserStream(request.stream());
            }
            if (streams != null && !streams.add(request.stream())) {
                throw new ValidationException("stream", request.stream(), "must appear only once in a multi-stream append");
            }
            if (request.events().isEmpty()) {
                throw new ValidationException("events", "[] for stream '" + request.stream() + "'", "must hold at least one event");
            }
            for (EventData event : request.events()) {
                if (event == null) {
                    throw new ValidationException("events", "a null event", "must not contain null");
                }
                if (event.data().length > settings.maxEventSize()) {
                    throw new ValidationException("event.data", event.data().length + " bytes (event " + event.id() + ")",
                            "must be at most maxEventSize (" + settings.maxEventSize() + ") bytes");
                }
                if (ids != null && !ids.add(event.id())) {
                    throw new ValidationException("event.id", event.id(), "must be unique within an append");
                }
                total++;
            }
        }
        if (total > settings.maxAppendEvents()) {
            throw new ValidationException("events", total + " events", "must be at most maxAppendEvents (" + settings.maxAppendEvents() + ") per append");
        }
        return requests;
    }

    private static <T> T join(CompletableFuture<T> future) {
        try {
            return future.get();
        } catch (ExecutionException e) {
            throw rethrow(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StorageException("interrupted while waiting for an append to be acknowledged; it may still complete", e, true, true);
        }
    }

    private static RuntimeException rethrow(Throwable cause) {
        if (cause instanceof CompletionException completion && completion.getCause() != null) {
            cause = completion.getCause();
        }
        if (cause instanceof RuntimeException runtime) {
            return runtime;
        }
        if (cause instanceof Error error) {
            throw error;
        }
        return new StorageException("append failed: " + cause, cause, false, true);
    }

    @Override
    public EventAppender systemAppender() {
        return systemAppender;
    }

    /** Appends to user streams, or (for Strata's own modules) to system streams: the same path, other name rules. */
    private final class StoreAppender implements EventAppender {
        private final boolean system;

        StoreAppender(boolean system) {
            this.system = system;
        }

        @Override
        public AppendResult append(String stream, ExpectedVersion expectedVersion, List<EventData> events) {
            return join(appendAsync(stream, expectedVersion, events));
        }

        @Override
        public CompletableFuture<AppendResult> appendAsync(String stream, ExpectedVersion expectedVersion, List<EventData> events) {
            CompletableFuture<AppendResult> future = new CompletableFuture<>();
            submit(List.of(new AppendRequest(stream, expectedVersion, events)), system, future, null);
            return future;
        }

        @Override
        public List<AppendResult> appendAll(List<AppendRequest> requests) {
            return join(appendAllAsync(requests));
        }

        @Override
        public CompletableFuture<List<AppendResult>> appendAllAsync(List<AppendRequest> requests) {
            CompletableFuture<List<AppendResult>> future = new CompletableFuture<>();
            submit(requests, system, null, future);
            return future;
        }
    }

    // ---------------------------------------------------------------- reads

    @Override
    public LiveSections index() {
        return sections;
    }

    @Override
    public LogCursor cursor() {
        requireOpen();
        return cursors.borrow();
    }

    @Override
    public void awaitIndexed(Commit commit) {
        if (indexer.indexed().position() < commit.position()) {
            indexer.hurry();
        }
        boolean reached = indexedSignal.await(() -> indexer.indexed().position() >= commit.position() || closed.get(),
                INDEX_WAIT_SECONDS, TimeUnit.SECONDS);
        requireOpen();
        if (!reached) {
            Throwable failure = indexer.failure();
            throw new StorageException("the stream index is " + (commit.position() - indexer.indexed().position())
                    + " events behind after " + INDEX_WAIT_SECONDS + " s" + (failure == null ? "" : ": " + failure), failure, true, false);
        }
    }

    @Override
    void requireOpen() {
        if (closed.get()) {
            throw new StoreClosedException(settings.name());
        }
    }

    // ---------------------------------------------------------------- subscriptions

    @Override
    public Subscription subscribeToAll(long fromPosition, SubscriptionListener listener) {
        requireOpen();
        requireNonNegative("fromPosition", fromPosition);
        requireListener(listener);
        return start(new CatchUpSubscription("all-" + subscriptionIds.incrementAndGet(), new GlobalPager(this, fromPosition, true),
                listener, committedSignal, () -> log.committed().position(), subscriptions::remove));
    }

    @Override
    public Subscription subscribeToCategory(String category, long fromPosition, SubscriptionListener listener) {
        requireOpen();
        StreamNames.requireCategory(category);
        requireNonNegative("fromPosition", fromPosition);
        requireListener(listener);
        return start(new CatchUpSubscription("category-" + category + "-" + subscriptionIds.incrementAndGet(),
                new CategoryPager(this, category, fromPosition), listener, indexedSignal,
                () -> indexer.indexed().position(), subscriptions::remove));
    }

    @Override
    public Subscription subscribeToStream(String stream, long fromVersion, SubscriptionListener listener) {
        requireOpen();
        StreamNames.requireReadable(stream);
        requireNonNegative("fromVersion", fromVersion);
        requireListener(listener);
        return start(new CatchUpSubscription("stream-" + stream + "-" + subscriptionIds.incrementAndGet(),
                new StreamPager(this, stream, fromVersion, true), listener, committedSignal,
                () -> log.committed().position(), subscriptions::remove));
    }

    private Subscription start(CatchUpSubscription subscription) {
        subscriptions.add(subscription);
        return subscription.start();
    }

    private static void requireListener(SubscriptionListener listener) {
        if (listener == null) {
            throw new ValidationException("listener", null, "must not be null");
        }
    }

    // ---------------------------------------------------------------- lifecycle

    @Override
    public String name() {
        return settings.name();
    }

    public StoreSettings settings() {
        return settings;
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        StoreClosedException reason = new StoreClosedException(settings.name());
        for (CatchUpSubscription subscription : List.copyOf(subscriptions)) {
            subscription.stopForClose(reason);
        }
        if (backgroundSync != null) {
            backgroundSync.shutdownNow();
        }
        while (appending.get() > 0) {
            Thread.onSpinWait();
        }
        disruptor.shutdown(); // drains the ring; the writer syncs and writes the final watermark on shutdown
        indexer.stop();
        try {
            indexerThread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            try {
                indexer.drain(); // index what the indexer thread had not reached
                index.flush();
            } catch (RuntimeException e) {
                LOG.warn("Could not bring the index up to date on close; the next open catches up from the log: {}", e.toString());
            }
        } finally {
            cursors.close();
            index.close();
            log.close();
            meters.forEach(settings.meterRegistry()::remove);
        }
        LOG.info("Closed event store '{}' at head position {}", settings.name(), log.committed().position());
    }

    private final class WriterExceptionHandler implements ExceptionHandler<AppendSlot> {
        @Override
        public void handleEventException(Throwable failure, long sequence, AppendSlot slot) {
            LOG.error("Writer failed on ring slot {}", sequence, failure);
            slot.fail(failure instanceof EventStoreException ? failure
                    : new StorageException("append failed: " + failure, failure, true, true));
        }

        @Override
        public void handleOnStartException(Throwable failure) {
            LOG.error("Writer failed to start", failure);
        }

        @Override
        public void handleOnShutdownException(Throwable failure) {
            LOG.error("Writer failed to sync on shutdown", failure);
        }
    }
}
