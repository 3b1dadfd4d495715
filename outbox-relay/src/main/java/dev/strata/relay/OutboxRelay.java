package dev.strata.relay;

import dev.strata.eventstore.DuplicateEventIdException;
import dev.strata.eventstore.EventStore;
import dev.strata.eventstore.ExpectedVersion;
import dev.strata.eventstore.RecordedEvent;
import dev.strata.eventstore.StoreClosedException;
import dev.strata.eventstore.Subscription;
import dev.strata.eventstore.SubscriptionListener;
import dev.strata.eventstore.ValidationException;
import dev.strata.eventstore.cloudevents.CloudEventMapper;
import dev.strata.relay.internal.Backoff;
import dev.strata.relay.internal.CheckpointFile;
import dev.strata.relay.internal.CircuitBreaker;
import dev.strata.relay.internal.DeadLetter;
import dev.strata.relay.internal.Publisher;
import dev.strata.relay.internal.RelayMetrics;
import dev.strata.relay.internal.Sleeper;
import io.cloudevents.CloudEvent;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes a store's log to a sink: the log is the outbox. The relay follows the log from its durable checkpoint,
 * keeps the events its {@link RelayFilter} selects, maps them to CloudEvents (DESIGN.md's table), hands them to the
 * {@link EventSink} in batches, and moves its checkpoint only after the sink acknowledged the batch.
 *
 * <h2>Guarantees</h2>
 * <ul>
 *   <li>At least once: an event is published, or recorded in the dead-letter stream, before the checkpoint passes
 *       its position; after a crash the relay resumes from the checkpoint and publishes again what may not have been
 *       acknowledged (consumers dedup: {@link Inbox}, or the {@code streamversion} extension).</li>
 *   <li>In order per stream, across retries and restarts: one batch at a time, each (re-)published from its first
 *       unacknowledged event in log order.</li>
 *   <li>The sink down: retries with exponential backoff and jitter behind a circuit breaker, forever; nothing is
 *       skipped, the checkpoint does not move.</li>
 *   <li>An event that cannot be mapped, or that the sink refuses for good, goes to {@code $relay-deadletter-<name>}
 *       with the reason, is counted ({@code strata.relay.deadletters}), and the relay goes on.</li>
 * </ul>
 *
 * <h2>Threads</h2>
 * One thread, {@code strata-relay-<name>}, maps, publishes and writes the checkpoint; the store's subscription thread
 * feeds it through a bounded queue (a slow sink slows only the relay, never the store's writers). Public methods are
 * thread-safe.
 *
 * <h2>Close order</h2>
 * Stop taking new batches; let the sink finish or fail the batch in hand (its checkpoint then stays behind); write
 * the checkpoint; stop the subscription; close the sink (the relay owns it); release the checkpoint lock.
 */
public final class OutboxRelay implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(OutboxRelay.class);
    static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    private static final Duration POLL = Duration.ofMillis(50);

    private final String name;
    private final EventStore store;
    private final EventSink sink;
    private final RelayFilter filter;
    private final int batchSize;
    private final Duration checkpointInterval;
    private final InstantSource clock;
    private final CheckpointFile checkpointFile;
    private final CloudEventMapper mapper;
    private final CircuitBreaker breaker;
    private final RelayMetrics metrics;
    private final Publisher publisher;
    private final Sleeper sleeper = Sleeper.system();
    private final BlockingQueue<RecordedEvent> queue;
    private final Thread thread;
    private final Object progress = new Object();

    private volatile boolean running = true;
    private boolean closed;
    private volatile long acknowledged;
    private volatile long enqueued;
    private volatile Throwable subscriptionStopped;
    private volatile Throwable failure;
    private volatile Subscription subscription;
    private long checkpointWrittenAt;

    private OutboxRelay(Builder b) {
        this.name = b.name;
        this.store = b.store;
        this.sink = b.sink;
        this.filter = b.filter;
        this.batchSize = b.batchSize;
        this.checkpointInterval = b.checkpointInterval;
        this.clock = b.clock;
        this.mapper = new CloudEventMapper(store.name());
        this.queue = new ArrayBlockingQueue<>(Math.max(1024, batchSize * 4));
        this.checkpointFile = CheckpointFile.open(b.checkpointDirectory, name);
        this.acknowledged = checkpointFile.position();
        this.enqueued = acknowledged;
        this.breaker = new CircuitBreaker(b.retryPolicy.failuresToOpen(), b.retryPolicy.openDuration(), clock,
                (from, to) -> LOG.info("relay {}: circuit {} -> {} ({})", name, from, to, sink.describe()));
        this.metrics = new RelayMetrics(b.meterRegistry, name, this::lag, () -> acknowledged, () -> breaker.state().code());
        this.publisher = new Publisher(name, sink, new Backoff(b.retryPolicy, () -> ThreadLocalRandom.current().nextDouble()),
                breaker, metrics, sleeper, () -> running);
        this.thread = new Thread(this::run, "strata-relay-" + name);
        this.thread.setDaemon(true);
    }

    public static Builder builder() {
        return new Builder();
    }

    public String name() {
        return name;
    }

    /** The stream that receives this relay's dead letters: {@code $relay-deadletter-<name>}. */
    public String deadLetterStream() {
        return DeadLetter.streamOf(name);
    }

    /** The last log position the sink acknowledged (or that was filtered out or dead-lettered); -1 before the first. */
    public long checkpoint() {
        return acknowledged;
    }

    /** Events between the checkpoint and the head of the log. */
    public long lag() {
        return Math.max(0, store.headPosition() - acknowledged);
    }

    public CircuitState circuitState() {
        return breaker.state();
    }

    public long deadLetters() {
        return metrics.deadLetterCount();
    }

    public long retries() {
        return metrics.retryCount();
    }

    public long published() {
        return metrics.publishedCount();
    }

    /** How many times the circuit breaker has opened since the start. */
    public long circuitOpenings() {
        return breaker.openings();
    }

    public boolean isRunning() {
        return thread.isAlive();
    }

    /** Why the relay stopped by itself (the store closed, a dead letter could not be written), if it did. */
    public Optional<Throwable> failure() {
        return Optional.ofNullable(failure);
    }

    /** Waits until the checkpoint reaches {@code position}; false on timeout or if the relay stopped. */
    public boolean awaitCheckpoint(long position, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (progress) {
            while (acknowledged < position) {
                long left = deadline - System.nanoTime();
                if (left <= 0 || !thread.isAlive()) {
                    return acknowledged >= position;
                }
                progress.wait(Math.max(1, Math.min(100, left / 1_000_000)));
            }
            return true;
        }
    }

    private OutboxRelay begin() {
        LOG.info("relay {}: starting from position {} of store {} to {} ({})", name, acknowledged + 1, store.name(),
                sink.describe(), filter);
        try {
            subscribe(acknowledged + 1);
        } catch (RuntimeException e) {
            metrics.close();
            checkpointFile.close();
            throw e;
        }
        thread.start();
        return this;
    }

    private void subscribe(long from) {
        subscriptionStopped = null;
        subscription = store.subscribeToAll(from, new SubscriptionListener() {
            @Override
            public void onEvent(RecordedEvent event) {
                try {
                    while (!queue.offer(event, POLL.toMillis(), TimeUnit.MILLISECONDS)) {
                        if (!running) {
                            return; // stopping: close() is closing this subscription; the checkpoint stays behind
                        }
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                enqueued = event.position();
            }

            @Override
            public void onStopped(Throwable cause) {
                subscriptionStopped = cause;
            }
        });
    }

    private void run() {
        try {
            List<RecordedEvent> batch = new ArrayList<>(batchSize);
            while (running) {
                batch.clear();
                RecordedEvent first = queue.poll(POLL.toMillis(), TimeUnit.MILLISECONDS);
                if (first == null) {
                    writeCheckpoint(true);
                    resubscribeIfStopped();
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, batchSize - 1);
                relay(batch);
                writeCheckpoint(false);
            }
        } catch (Publisher.StoppedException | InterruptedException stopped) {
            // close() during a batch: the checkpoint stays before it
        } catch (Throwable t) {
            failure = t;
            LOG.error("relay {}: stopped at checkpoint {}: {}", name, acknowledged, t.toString(), t);
        } finally {
            try {
                writeCheckpoint(true);
            } catch (RuntimeException e) {
                LOG.error("relay {}: cannot write the final checkpoint {}", name, acknowledged, e);
            }
            synchronized (progress) {
                progress.notifyAll();
            }
        }
    }

    private void relay(List<RecordedEvent> batch) {
        long started = System.nanoTime();
        List<CloudEvent> selected = new ArrayList<>(batch.size());
        for (RecordedEvent event : batch) {
            if (!filter.test(event)) {
                continue;
            }
            CloudEvent cloudEvent;
            try {
                cloudEvent = mapper.toCloudEvent(event);
            } catch (RuntimeException e) {
                String reason = "cannot be mapped to a CloudEvent: " + e.getMessage();
                LOG.warn("relay {}: event {} of {}@{} (position {}) {}; sending it to the dead-letter stream", name,
                        event.id(), event.stream(), event.version(), event.position(), reason);
                deadLetter(new DeadLetter(name, event.stream(), event.version(), event.position(), event.id().toString(),
                        event.type(), event.metadata().correlationId().orElse(null), reason));
                metrics.deadLettered();
                continue;
            }
            selected.add(cloudEvent);
        }
        if (!selected.isEmpty()) {
            publisher.publish(selected, (refused, reason) -> deadLetter(DeadLetter.of(name, refused, reason)));
        }
        metrics.publishTimer().record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
        synchronized (progress) {
            acknowledged = batch.get(batch.size() - 1).position();
            progress.notifyAll();
        }
    }

    private void deadLetter(DeadLetter letter) {
        try {
            store.systemAppender().append(deadLetterStream(), ExpectedVersion.any(), letter.toEventData());
        } catch (DuplicateEventIdException alreadyThere) {
            // dead-lettered before a crash, with another reason text: the first record stands
        }
    }

    private void writeCheckpoint(boolean force) {
        long now = clock.millis();
        if (force || now - checkpointWrittenAt >= checkpointInterval.toMillis()) {
            checkpointFile.write(acknowledged);
            checkpointWrittenAt = now;
        }
    }

    private void resubscribeIfStopped() {
        Throwable cause = subscriptionStopped;
        if (cause == null || !queue.isEmpty()) {
            return;
        }
        closeSubscription();
        if (cause instanceof StoreClosedException) {
            throw (StoreClosedException) cause;
        }
        LOG.warn("relay {}: the store subscription stopped ({}); resuming after position {}", name, cause.toString(), enqueued);
        sleeper.sleep(Duration.ofMillis(200));
        if (running) {
            subscribe(enqueued + 1);
        }
    }

    /** Stops the relay (see the class comment for the order); idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        running = false;
        sleeper.wakeUp();
        closeSubscription(); // first: its listener may be waiting for room in the queue
        try {
            thread.join(TimeUnit.SECONDS.toMillis(60));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            LOG.error("relay {}: the relay thread did not stop within 60 s (sink {} stuck?)", name, sink.describe());
        }
        closeSubscription(); // again: the relay thread may have resubscribed meanwhile
        try {
            sink.close();
        } finally {
            metrics.close();
            checkpointFile.close();
            LOG.info("relay {}: stopped at checkpoint {}", name, acknowledged);
        }
    }

    private void closeSubscription() {
        Subscription current = subscription;
        if (current != null) {
            current.close();
            subscription = null;
        }
    }

    /** Settings of a relay; {@link #start()} validates them and names the setting in its message. */
    public static final class Builder {
        private EventStore store;
        private EventSink sink;
        private String name;
        private Path checkpointDirectory;
        private RelayFilter filter = RelayFilter.all();
        private int batchSize = 1000;
        private Duration checkpointInterval = Duration.ofMillis(100);
        private RetryPolicy retryPolicy = RetryPolicy.defaults();
        private MeterRegistry meterRegistry = Metrics.globalRegistry;
        private InstantSource clock = InstantSource.system();

        private Builder() {
        }

        /** The store whose log is published. Required. */
        public Builder store(EventStore store) {
            this.store = store;
            return this;
        }

        /** Where events go; the relay owns it and closes it. Required. */
        public Builder sink(EventSink sink) {
            this.sink = sink;
            return this;
        }

        /** The relay's name: its checkpoint file, dead-letter stream and metric tag. Required. */
        public Builder name(String name) {
            this.name = name;
            return this;
        }

        /** The folder of the checkpoint file, e.g. {@code <store dir>/relays}. Required. */
        public Builder checkpointDirectory(Path directory) {
            this.checkpointDirectory = directory;
            return this;
        }

        public Builder filter(RelayFilter filter) {
            this.filter = filter;
            return this;
        }

        /** Most events per publish; 1000 by default. */
        public Builder batchSize(int events) {
            this.batchSize = events;
            return this;
        }

        /**
         * How often, at most, the checkpoint file is rewritten while busy (it is also written when idle and at close);
         * 100 ms by default. Longer means fewer disk syncs and more re-published events after a crash.
         */
        public Builder checkpointInterval(Duration interval) {
            this.checkpointInterval = interval;
            return this;
        }

        public Builder retryPolicy(RetryPolicy policy) {
            this.retryPolicy = policy;
            return this;
        }

        public Builder meterRegistry(MeterRegistry registry) {
            this.meterRegistry = registry;
            return this;
        }

        public Builder clock(InstantSource clock) {
            this.clock = clock;
            return this;
        }

        /** Validates the settings, takes the checkpoint's lock and starts the relay thread. */
        public OutboxRelay start() {
            if (store == null) {
                throw new ValidationException("store", null, "must be set");
            }
            if (sink == null) {
                throw new ValidationException("sink", null, "must be set");
            }
            if (name == null || !NAME.matcher(name).matches()) {
                throw new ValidationException("name", name, "must match " + NAME.pattern());
            }
            if (checkpointDirectory == null) {
                throw new ValidationException("checkpointDirectory", null, "must be set");
            }
            if (filter == null) {
                throw new ValidationException("filter", null, "must not be null (RelayFilter.all() publishes everything)");
            }
            if (batchSize < 1 || batchSize > 100_000) {
                throw new ValidationException("batchSize", batchSize, "must be between 1 and 100000");
            }
            if (checkpointInterval == null || checkpointInterval.isNegative()) {
                throw new ValidationException("checkpointInterval", checkpointInterval, "must be zero or positive");
            }
            if (retryPolicy == null) {
                throw new ValidationException("retryPolicy", null, "must not be null");
            }
            if (meterRegistry == null) {
                throw new ValidationException("meterRegistry", null, "must not be null");
            }
            if (clock == null) {
                throw new ValidationException("clock", null, "must not be null");
            }
            return new OutboxRelay(this).begin();
        }
    }
}
