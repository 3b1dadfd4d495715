package dev.strata.eventstore.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.strata.eventstore.AppendResult;
import dev.strata.eventstore.Direction;
import dev.strata.eventstore.DuplicateEventIdException;
import dev.strata.eventstore.EventData;
import dev.strata.eventstore.EventStore;
import dev.strata.eventstore.EventStoreException;
import dev.strata.eventstore.ExpectedVersion;
import dev.strata.eventstore.Metadata;
import dev.strata.eventstore.RecordedEvent;
import dev.strata.eventstore.StreamNames;
import dev.strata.eventstore.StreamVersions;
import dev.strata.eventstore.ValidationException;
import dev.strata.eventstore.WrongExpectedVersionException;
import dev.strata.eventstore.internal.model.StateCache;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Handles commands with a {@link Decider}: loads the command's stream (from the hot cache, or from the newest usable
 * snapshot and the events after it), decides, appends the decided events with the exact expected version, and on a
 * version conflict catches up with the stream and decides again, up to {@link CommandHandlerBuilder#maxAttempts}
 * times. Build one per decider with {@link #builder}; it is thread-safe and meant to be shared.
 *
 * <h2>Guarantees</h2>
 * <ul>
 *   <li><b>Every decision sees the stream as it is when its events are appended</b>: the append expects exactly the
 *       version decided on, so a concurrent writer's events are never overlooked (the store refuses, the handler
 *       reloads). A rejection (an exception from {@code decide}) on a cached state is only reported after checking
 *       that the cached state is current; a stale one is refreshed and the command decided again.</li>
 *   <li><b>A retried command is not applied twice.</b> Event ids derive from the command id
 *       ({@link Command#eventId}); if the command was handled before, the handler returns that first outcome with
 *       {@link CommandResult#duplicate()} set and appends nothing. This holds when the retry decides the same events
 *       (the store recognises the retried append), when it decides other ones (the handler finds the first outcome by
 *       its event ids), and when the command is still the latest on its stream even if deciding it again would now
 *       be rejected. A retry of an older command that is now rejected gets the rejection (nothing is appended).</li>
 *   <li><b>The result carries the position</b> of the last appended event, the token a read side waits for.</li>
 * </ul>
 *
 * <h2>Threads</h2>
 * {@link #handle} blocks until the append is acknowledged (as durable as the store's {@code Durability});
 * {@link #handleAsync} returns once the command is decided, so one thread can keep many commands in flight. Never
 * call either from the store's writer thread (a future's callback). Commands on different streams never wait for
 * each other; commands on one stream race and the losers retry.
 */
public final class CommandHandler<C, E, S> {

    private static final Logger LOG = LoggerFactory.getLogger(CommandHandler.class);

    private final EventStore store;
    private final Decider<C, E, S> decider;
    private final EventTypes<E> types;
    private final String name;
    private final int maxAttempts;
    private final long retryBackoffNanos;
    private final StateCache<Aggregate<S>> cache;
    private final SnapshotPolicy<S> snapshots;
    private final SnapshotStore snapshotStore;
    private final HandlerMetrics metrics;
    private final Executor executor;
    /** Per stream, the completion of the newest {@link #handleAsync} command on it, while one is in flight. */
    private final ConcurrentHashMap<String, CompletableFuture<Void>> inFlight = new ConcurrentHashMap<>();

    CommandHandler(CommandHandlerBuilder<C, E, S> settings) {
        this.store = settings.store;
        this.decider = settings.decider;
        this.types = settings.types;
        this.name = settings.name;
        this.maxAttempts = settings.maxAttempts;
        this.retryBackoffNanos = settings.retryBackoff.toNanos();
        this.cache = settings.cacheSize == 0 ? null : new StateCache<>(settings.cacheSize, Aggregate::version);
        this.snapshots = settings.snapshots;
        this.snapshotStore = settings.snapshots == null ? null : new SnapshotStore(settings.store);
        this.metrics = new HandlerMetrics(settings.meterRegistry, settings.name);
        this.executor = settings.executor;
    }

    /** Starts a handler for {@code decider}, appending to {@code store} with the event {@code types}. */
    public static <C, E, S> CommandHandlerBuilder<C, E, S> builder(EventStore store, Decider<C, E, S> decider, EventTypes<E> types) {
        return new CommandHandlerBuilder<>(store, decider, types);
    }

    /** Handles {@code command} on {@code stream} with a fresh command id (so a retry of this call is a new command). */
    public CommandResult<E> handle(String stream, C command) {
        return handle(Command.of(stream, command));
    }

    /**
     * Handles {@code command}: decides and appends, retrying on version conflicts.
     *
     * @return the events appended, the stream version and the position of the last event
     * @throws CommandConflictException if every attempt lost to a concurrent writer (retryable)
     * @throws EventDecodingException   if an event of the stream cannot be read as this model's events
     * @throws RuntimeException         whatever {@code decide} threw to reject the command, unchanged
     */
    public CommandResult<E> handle(Command<C> command) {
        requireCommand(command);
        long started = System.nanoTime();
        try {
            Loaded<S> loaded = start(command.stream());
            CommandResult<E> result = execute(command, loaded.aggregate(), loaded.fresh(), 1);
            metrics.handled(result, started);
            return result;
        } catch (RuntimeException | Error failure) {
            throw counted(failure, started);
        }
    }

    /**
     * As {@link #handle}, without waiting for the append, so one thread can keep many commands in flight (and the
     * store commits them in groups). The stream is loaded and the command decided on the calling thread, then the
     * append is handed to the store.
     *
     * <p>Commands on one stream given to this method are decided one after the other, in call order: a command
     * whose stream has one in flight waits for it (then is decided on the {@link CommandHandlerBuilder#executor
     * executor}), so pipelined commands do not conflict with each other. After a version conflict with another
     * writer, and to take a snapshot, the command also continues on the executor.
     *
     * <p>The future completes on the store's writer thread when the append succeeds: chain further work with the
     * {@code ...Async} methods of {@link CompletableFuture}. It fails with the exceptions {@link #handle} throws, a
     * rejection included, unchanged (inside the {@link CompletionException} that {@code join} throws).
     */
    public CompletableFuture<CommandResult<E>> handleAsync(Command<C> command) {
        requireCommand(command);
        String stream = command.stream();
        CompletableFuture<CommandResult<E>> result = new CompletableFuture<>();
        CompletableFuture<Void> done = result.handle((ignored, failure) -> null);
        CompletableFuture<Void> previous = inFlight.put(stream, done);
        done.whenComplete((ignored, failure) -> inFlight.remove(stream, done));
        if (previous == null || previous.isDone()) {
            decideAndAppend(command, result);
        } else {
            previous.whenCompleteAsync((ignored, failure) -> decideAndAppend(command, result), executor)
                    .exceptionally(failure -> {
                        result.completeExceptionally(failure); // e.g. the executor refused the task: never leave it hanging
                        return null;
                    });
        }
        return result;
    }

    /** The first attempt of {@link #handleAsync}: everything up to handing the append to the store, then completion. */
    private void decideAndAppend(Command<C> command, CompletableFuture<CommandResult<E>> result) {
        long started = System.nanoTime();
        CompletableFuture<CommandResult<E>> outcome;
        try {
            Loaded<S> loaded = start(command.stream());
            outcome = attemptAsync(command, loaded.aggregate(), loaded.fresh(), 1);
        } catch (RuntimeException | Error e) {
            outcome = CompletableFuture.failedFuture(e);
        }
        outcome.whenComplete((handled, failure) -> {
            if (failure == null) {
                metrics.handled(handled, started);
                result.complete(handled);
                return;
            }
            Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
            try {
                result.completeExceptionally(cause instanceof RuntimeException || cause instanceof Error ? counted(cause, started) : cause);
            } catch (Error error) {
                result.completeExceptionally(error);
            }
        });
    }

    private static void requireCommand(Command<?> command) {
        if (command == null) {
            throw new ValidationException("command", null, "must not be null");
        }
    }

    /** Counts a failed command by kind and returns what its caller must see (a rejection unwrapped). */
    private RuntimeException counted(Throwable failure, long started) {
        if (failure instanceof Rejection rejection) {
            metrics.rejected(started);
            return rejection.reason;
        }
        if (failure instanceof CommandConflictException gaveUp) {
            metrics.gaveUp(started);
            return gaveUp;
        }
        metrics.failed(started);
        if (failure instanceof Error error) {
            throw error;
        }
        return (RuntimeException) failure;
    }

    /**
     * The stream's current state, folded from its newest usable snapshot and the events after it (not from the
     * cache, which may lag behind other writers). The initial state for a stream that does not exist.
     */
    public S currentState(String stream) {
        StreamNames.requireUserStream(stream);
        return load(stream).state();
    }

    /** The name the handler's meters are tagged with. */
    public String name() {
        return name;
    }

    /** A stream's aggregate to decide on, and whether it was read from the store just now (not taken from the cache). */
    private record Loaded<S>(Aggregate<S> aggregate, boolean fresh) {
    }

    /**
     * A command decided: either its final result (nothing to append: unchanged, or a recognised retry), or the events
     * to append on top of {@code before}, encoded, with the state they lead to.
     */
    private record Prepared<E, S>(CommandResult<E> result, List<E> events, List<EventData> data, Aggregate<S> before, S after) {
    }

    private Loaded<S> start(String stream) {
        Aggregate<S> cached = cache == null ? null : cache.get(stream);
        if (cached != null) {
            metrics.cacheHit();
            return new Loaded<>(cached, false);
        }
        Aggregate<S> loaded = load(stream);
        if (cache != null) {
            metrics.cacheMiss();
            cache.put(stream, loaded);
        }
        return new Loaded<>(loaded, true);
    }

    /** Decides and appends, from {@code attempt} on, until the command is appended, rejected, or out of attempts. */
    private CommandResult<E> execute(Command<C> command, Aggregate<S> aggregate, boolean fresh, int attempt) {
        while (true) {
            Prepared<E, S> prepared = prepare(command, aggregate, fresh);
            if (prepared.result() != null) {
                return prepared.result();
            }
            AppendResult appended;
            try {
                appended = store.append(command.stream(), expectation(prepared.before().version()), prepared.data());
            } catch (WrongExpectedVersionException conflict) {
                long delay = onConflict(command, prepared.before(), attempt, conflict);
                if (delay > 0) {
                    LockSupport.parkNanos(delay);
                }
                attempt++;
                aggregate = refresh(command.stream(), prepared.before());
                fresh = true;
                continue;
            } catch (DuplicateEventIdException duplicate) {
                return firstOutcomeByIds(command, duplicate, prepared.data());
            }
            Aggregate<S> next = appendedAggregate(command, prepared, appended);
            if (next == null) {
                return retriedResult(command, prepared, appended);
            }
            cacheAndMaybeSnapshot(command.stream(), next);
            return new CommandResult<>(command.stream(), prepared.events(), appended.lastVersion(), appended.lastPosition(), false);
        }
    }

    /**
     * Decides {@code command} on {@code aggregate}. A rejection or an empty decision on a cached aggregate is only
     * final once the aggregate is known to be current; a stale one is refreshed and the command decided again.
     */
    private Prepared<E, S> prepare(Command<C> command, Aggregate<S> aggregate, boolean fresh) {
        String stream = command.stream();
        while (true) {
            if (command.id().toString().equals(aggregate.lastCommand())) {
                CommandResult<E> first = firstOutcomeAtEnd(command, aggregate);
                if (first != null) {
                    return new Prepared<>(first, null, null, aggregate, null);
                }
            }
            List<E> events;
            try {
                events = decider.decide(command.payload(), aggregate.state());
            } catch (RuntimeException reason) {
                if (!fresh && isStale(stream, aggregate)) {
                    aggregate = refresh(stream, aggregate);
                    fresh = true;
                    continue;
                }
                throw new Rejection(reason);
            }
            if (events == null) {
                throw new ValidationException("decide(" + command.payload().getClass().getSimpleName() + ")", null,
                        "must return a list of events (empty when nothing changes)");
            }
            if (events.isEmpty()) {
                if (!fresh && isStale(stream, aggregate)) {
                    aggregate = refresh(stream, aggregate);
                    fresh = true;
                    continue;
                }
                return new Prepared<>(new CommandResult<>(stream, List.of(), aggregate.version(), StreamVersions.NO_POSITION, false),
                        null, null, aggregate, null);
            }
            events = List.copyOf(events);
            // evolve is pure, so folding before the append is the same as after, and keeps the writer thread's part small.
            return new Prepared<>(null, events, encode(command, events), aggregate, decider.fold(aggregate.state(), events));
        }
    }

    /** The aggregate after a successful append, or null if the store answered a retry with the original result. */
    private Aggregate<S> appendedAggregate(Command<C> command, Prepared<E, S> prepared, AppendResult appended) {
        if (appended.firstVersion() != prepared.before().version() + 1) {
            return null;
        }
        return new Aggregate<>(appended.lastVersion(), prepared.after(), prepared.before().snapshotVersion(),
                command.id().toString(), appended.firstVersion());
    }

    /**
     * The store recognised a retry of an append it had stored and returned that append's result: the events are the
     * ones decided now, byte for byte, and already part of the state decided on.
     */
    private CommandResult<E> retriedResult(Command<C> command, Prepared<E, S> prepared, AppendResult appended) {
        return new CommandResult<>(command.stream(), prepared.events(), appended.lastVersion(), appended.lastPosition(), true);
    }

    /** One attempt of an async command: decide on this thread, then hand the append to the store. */
    private CompletableFuture<CommandResult<E>> attemptAsync(Command<C> command, Aggregate<S> aggregate, boolean fresh, int attempt) {
        Prepared<E, S> prepared = prepare(command, aggregate, fresh);
        if (prepared.result() != null) {
            return CompletableFuture.completedFuture(prepared.result());
        }
        return store.appendAsync(command.stream(), expectation(prepared.before().version()), prepared.data())
                .handle((appended, failure) -> afterAsyncAppend(command, prepared, attempt, appended, failure))
                .thenCompose(Function.identity());
    }

    /** Runs on the store's writer thread: only cheap work here; anything that reads or appends moves to the executor. */
    private CompletableFuture<CommandResult<E>> afterAsyncAppend(Command<C> command, Prepared<E, S> prepared, int attempt,
                                                                 AppendResult appended, Throwable failure) {
        String stream = command.stream();
        if (failure == null) {
            Aggregate<S> next = appendedAggregate(command, prepared, appended);
            if (next == null) {
                return CompletableFuture.completedFuture(retriedResult(command, prepared, appended));
            }
            CommandResult<E> result = new CommandResult<>(stream, prepared.events(), appended.lastVersion(), appended.lastPosition(), false);
            if (!snapshotDue(next)) {
                if (cache != null) {
                    cache.put(stream, next);
                }
                return CompletableFuture.completedFuture(result);
            }
            return CompletableFuture.supplyAsync(() -> {
                cacheAndMaybeSnapshot(stream, next);
                return result;
            }, executor);
        }
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        if (cause instanceof WrongExpectedVersionException conflict) {
            long delay;
            try {
                delay = onConflict(command, prepared.before(), attempt, conflict);
            } catch (CommandConflictException gaveUp) {
                return CompletableFuture.failedFuture(gaveUp);
            }
            Executor next = delay == 0 ? executor : CompletableFuture.delayedExecutor(delay, TimeUnit.NANOSECONDS, executor);
            return CompletableFuture.supplyAsync(() -> attemptAsync(command, refresh(stream, prepared.before()), true, attempt + 1), next)
                    .thenCompose(Function.identity());
        }
        if (cause instanceof DuplicateEventIdException duplicate) {
            return CompletableFuture.supplyAsync(() -> firstOutcomeByIds(command, duplicate, prepared.data()), executor);
        }
        return CompletableFuture.failedFuture(cause);
    }

    /**
     * Counts a conflict; gives up if it was the last attempt.
     *
     * @return how long to wait before the next attempt, in nanoseconds (see {@link #backOff})
     */
    private long onConflict(Command<C> command, Aggregate<S> decidedOn, int attempt, WrongExpectedVersionException conflict) {
        metrics.conflict();
        if (attempt >= maxAttempts) {
            LOG.warn("Command {} on stream '{}' gave up after {} attempts: the stream kept moving (now at version {})",
                    command.id(), command.stream(), attempt, conflict.actualVersion());
            throw new CommandConflictException(command.stream(), command.id(), attempt, conflict);
        }
        LOG.debug("Command {} on stream '{}' decided at version {} met version {}; deciding again (attempt {})",
                command.id(), command.stream(), decidedOn.version(), conflict.actualVersion(), attempt + 1);
        return backOff(attempt);
    }

    private static ExpectedVersion expectation(long version) {
        return version == StreamVersions.NO_STREAM ? ExpectedVersion.noStream() : ExpectedVersion.exactly(version);
    }

    private List<EventData> encode(Command<C> command, List<E> events) {
        Metadata metadata = command.eventMetadata();
        List<EventData> data = new ArrayList<>(events.size());
        for (int i = 0; i < events.size(); i++) {
            data.add(types.encode(events.get(i), command.eventId(i), metadata));
        }
        return data;
    }

    /**
     * A random wait before attempt {@code attempt + 1}: none before the first retry, then up to the base, doubling up
     * to 16 times the base, so writers racing for one stream spread out instead of colliding again.
     */
    private long backOff(int attempt) {
        if (retryBackoffNanos == 0 || attempt < 2) {
            return 0;
        }
        long ceiling = retryBackoffNanos << Math.min(4, attempt - 2);
        return ThreadLocalRandom.current().nextLong(ceiling + 1);
    }

    private boolean isStale(String stream, Aggregate<S> aggregate) {
        boolean stale = store.streamVersion(stream).orElse(StreamVersions.NO_STREAM) != aggregate.version();
        if (stale) {
            metrics.cacheStale();
        }
        return stale;
    }

    /** The aggregate caught up with the stream, cached. */
    private Aggregate<S> refresh(String stream, Aggregate<S> aggregate) {
        Aggregate<S> current = catchUp(stream, aggregate);
        if (cache != null) {
            cache.put(stream, current);
        }
        return current;
    }

    // ---------------------------------------------------------------- loading

    private Aggregate<S> load(String stream) {
        Aggregate<S> start = new Aggregate<>(StreamVersions.NO_STREAM, decider.initialState(), StreamVersions.NO_STREAM,
                null, StreamVersions.NO_STREAM);
        if (snapshots != null) {
            Aggregate<S> fromSnapshot = loadSnapshot(stream);
            if (fromSnapshot != null) {
                start = fromSnapshot;
            }
        }
        return catchUp(stream, start);
    }

    /** Folds the events after {@code aggregate.version()} into it. */
    private Aggregate<S> catchUp(String stream, Aggregate<S> aggregate) {
        long version = aggregate.version();
        S state = aggregate.state();
        String lastCommand = aggregate.lastCommand();
        long lastCommandFirstVersion = aggregate.lastCommandFirstVersion();
        try (Stream<RecordedEvent> events = store.readStream(stream, version + 1, Direction.FORWARD, Integer.MAX_VALUE)) {
            Iterator<RecordedEvent> it = events.iterator();
            while (it.hasNext()) {
                RecordedEvent event = it.next();
                for (E decoded : types.decode(event)) {
                    state = decider.evolve(state, decoded);
                }
                String causation = event.metadata().asMap().get(Metadata.CAUSATION_ID);
                if (causation == null || !causation.equals(lastCommand)) {
                    lastCommand = causation;
                    lastCommandFirstVersion = event.version();
                }
                version = event.version();
            }
        }
        return new Aggregate<>(version, state, aggregate.snapshotVersion(), lastCommand, lastCommandFirstVersion);
    }

    private Aggregate<S> loadSnapshot(String stream) {
        Snapshot snapshot;
        try {
            snapshot = snapshotStore.latest(stream);
        } catch (IOException e) {
            metrics.snapshotIgnored();
            LOG.warn("Ignoring the newest snapshot of stream '{}': it cannot be read ({})", stream, e.getMessage());
            return null;
        }
        if (snapshot == null) {
            return null;
        }
        if (!snapshot.stream().equals(stream) || !snapshot.fingerprint().equals(snapshots.fingerprint())) {
            metrics.snapshotIgnored();
            LOG.debug("Ignoring the snapshot of stream '{}' at version {}: it is of stream '{}' with fingerprint {}, the model's is {}",
                    stream, snapshot.version(), snapshot.stream(), snapshot.fingerprint(), snapshots.fingerprint());
            return null;
        }
        S state;
        try {
            state = types.objectMapper().treeToValue(snapshot.state(), snapshots.stateType());
        } catch (IOException | IllegalArgumentException e) {
            metrics.snapshotIgnored();
            LOG.warn("Ignoring the snapshot of stream '{}' at version {}: its state does not read as {} ({})",
                    stream, snapshot.version(), snapshots.stateType().getSimpleName(), e.getMessage());
            return null;
        }
        metrics.snapshotLoaded();
        return new Aggregate<>(snapshot.version(), state, snapshot.version(), snapshot.lastCommand(), snapshot.lastCommandFirstVersion());
    }

    private boolean snapshotDue(Aggregate<S> aggregate) {
        return snapshots != null && aggregate.version() - aggregate.snapshotVersion() >= snapshots.everyEvents();
    }

    /**
     * Caches {@code aggregate}, after snapshotting it if the policy says it is due. A failed snapshot does not fail
     * the command (its events are stored); it is logged and counted, and tried again after the next command.
     */
    private void cacheAndMaybeSnapshot(String stream, Aggregate<S> aggregate) {
        Aggregate<S> next = aggregate;
        if (snapshotDue(aggregate)) {
            try {
                ObjectMapper mapper = types.objectMapper();
                JsonNode state = mapper.valueToTree(aggregate.state());
                snapshotStore.save(new Snapshot(stream, aggregate.version(), snapshots.fingerprint(), aggregate.lastCommand(),
                        aggregate.lastCommandFirstVersion(), state));
                metrics.snapshotSaved();
                next = new Aggregate<>(aggregate.version(), aggregate.state(), aggregate.version(), aggregate.lastCommand(),
                        aggregate.lastCommandFirstVersion());
            } catch (IOException | IllegalArgumentException | EventStoreException e) {
                metrics.snapshotFailed();
                LOG.warn("Could not snapshot stream '{}' at version {}: {}", stream, aggregate.version(), e.toString());
            }
        }
        if (cache != null) {
            cache.put(stream, next);
        }
    }

    // ---------------------------------------------------------------- retried commands

    /**
     * The first outcome of {@code command} if it wrote the events at the end of the aggregate (versions
     * {@code lastCommandFirstVersion..}): read back and checked against the ids the command derives. Null if they are
     * not its events after all (another writer copied the causation id).
     */
    private CommandResult<E> firstOutcomeAtEnd(Command<C> command, Aggregate<S> aggregate) {
        long first = aggregate.lastCommandFirstVersion();
        int count = (int) Math.min(Integer.MAX_VALUE, aggregate.version() - first + 1);
        List<RecordedEvent> stored;
        try (Stream<RecordedEvent> events = store.readStream(command.stream(), first, Direction.FORWARD, count)) {
            stored = events.toList();
        }
        if (stored.isEmpty()) {
            return null;
        }
        for (int i = 0; i < stored.size(); i++) {
            if (!stored.get(i).id().equals(command.eventId(i))) {
                return null;
            }
        }
        return firstOutcome(command, stored);
    }

    /**
     * The store refused the decided events because their ids are stored with other content: the command was handled
     * before and decided differently then (the stream has moved on). Its first events are found by their ids, from
     * the stored position of the id the store named.
     */
    private CommandResult<E> firstOutcomeByIds(Command<C> command, DuplicateEventIdException duplicate, List<EventData> decided) {
        if (!command.stream().equals(duplicate.storedStream()) || duplicate.storedPosition() < 0) {
            throw duplicate; // the command id was used for another stream: a caller's bug, not a retry
        }
        int index = -1;
        for (int i = 0; i < decided.size(); i++) {
            if (decided.get(i).id().equals(duplicate.eventId())) {
                index = i;
                break;
            }
        }
        if (index < 0 || duplicate.storedPosition() < index) {
            throw duplicate;
        }
        List<RecordedEvent> stored = new ArrayList<>();
        try (Stream<RecordedEvent> events = store.readAll(duplicate.storedPosition() - index, Integer.MAX_VALUE)) {
            Iterator<RecordedEvent> it = events.iterator();
            while (it.hasNext()) {
                RecordedEvent event = it.next();
                if (!event.stream().equals(command.stream()) || !event.id().equals(command.eventId(stored.size()))) {
                    break;
                }
                stored.add(event);
            }
        }
        if (stored.isEmpty()) {
            throw duplicate;
        }
        LOG.debug("Command {} on stream '{}' was handled before (versions {}..{}); returning that outcome", command.id(),
                command.stream(), stored.get(0).version(), stored.get(stored.size() - 1).version());
        return firstOutcome(command, stored);
    }

    private CommandResult<E> firstOutcome(Command<C> command, List<RecordedEvent> stored) {
        List<E> events = new ArrayList<>(stored.size());
        for (RecordedEvent event : stored) {
            events.addAll(types.decode(event));
        }
        RecordedEvent last = stored.get(stored.size() - 1);
        return new CommandResult<>(command.stream(), events, last.version(), last.position(), true);
    }

    /** Carries a rejection from {@code decide} out of the retry loop, to be counted and rethrown unchanged. */
    private static final class Rejection extends RuntimeException {
        final RuntimeException reason;

        Rejection(RuntimeException reason) {
            super(null, null, false, false);
            this.reason = reason;
        }
    }

    @Override
    public String toString() {
        return "CommandHandler[" + name + ", maxAttempts " + maxAttempts + ", cache " + (cache != null) + ", " + snapshots + "]";
    }
}
