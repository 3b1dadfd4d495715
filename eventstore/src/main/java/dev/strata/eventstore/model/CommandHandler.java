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
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.LockSupport;
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
 * {@link #handle} blocks until the append is acknowledged (as durable as the store's {@code Durability}); call it
 * from many threads for throughput, never from the store's writer thread (a future's callback). Commands on
 * different streams never wait for each other; commands on one stream race and the losers retry.
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
        if (command == null) {
            throw new ValidationException("command", null, "must not be null");
        }
        long started = System.nanoTime();
        try {
            CommandResult<E> result = execute(command);
            metrics.handled(result, started);
            return result;
        } catch (Rejection rejection) {
            metrics.rejected(started);
            throw rejection.reason;
        } catch (CommandConflictException gaveUp) {
            metrics.gaveUp(started);
            throw gaveUp;
        } catch (RuntimeException | Error failure) {
            metrics.failed(started);
            throw failure;
        }
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

    private CommandResult<E> execute(Command<C> command) {
        String stream = command.stream();
        String commandId = command.id().toString();
        Aggregate<S> aggregate = cache == null ? null : cache.get(stream);
        boolean fresh = aggregate == null; // read from the store during this call, not taken from the cache
        if (cache != null) {
            if (fresh) {
                metrics.cacheMiss();
            } else {
                metrics.cacheHit();
            }
        }
        if (fresh) {
            aggregate = load(stream);
            if (cache != null) {
                cache.put(stream, aggregate);
            }
        }
        int attempt = 1;
        while (true) {
            if (commandId.equals(aggregate.lastCommand())) {
                CommandResult<E> first = firstOutcomeAtEnd(command, aggregate);
                if (first != null) {
                    return first;
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
                return new CommandResult<>(stream, List.of(), aggregate.version(), StreamVersions.NO_POSITION, false);
            }
            List<EventData> data = encode(command, events);
            AppendResult appended;
            try {
                appended = store.append(stream, expectation(aggregate.version()), data);
            } catch (WrongExpectedVersionException conflict) {
                metrics.conflict();
                if (attempt >= maxAttempts) {
                    LOG.warn("Command {} on stream '{}' gave up after {} attempts: the stream kept moving (now at version {})",
                            command.id(), stream, attempt, conflict.actualVersion());
                    throw new CommandConflictException(stream, command.id(), attempt, conflict);
                }
                LOG.debug("Command {} on stream '{}' decided at version {} met version {}; deciding again (attempt {})",
                        command.id(), stream, aggregate.version(), conflict.actualVersion(), attempt + 1);
                backOff(attempt);
                attempt++;
                aggregate = refresh(stream, aggregate);
                fresh = true;
                continue;
            } catch (DuplicateEventIdException duplicate) {
                return firstOutcomeByIds(command, duplicate, data);
            }
            if (appended.firstVersion() != aggregate.version() + 1) {
                // The store recognised a retry of an append it had stored and returned that append's result: the
                // events are the ones decided now, byte for byte, and already part of the state decided on.
                return new CommandResult<>(stream, events, appended.lastVersion(), appended.lastPosition(), true);
            }
            Aggregate<S> next = new Aggregate<>(appended.lastVersion(), decider.fold(aggregate.state(), events),
                    aggregate.snapshotVersion(), commandId, appended.firstVersion());
            next = snapshotIfDue(stream, next);
            if (cache != null) {
                cache.put(stream, next);
            }
            return new CommandResult<>(stream, events, appended.lastVersion(), appended.lastPosition(), false);
        }
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

    /** After the second conflict in a row, wait a random while (doubling, capped at 64 times the base) so racers spread out. */
    private void backOff(int attempt) {
        if (retryBackoffNanos == 0 || attempt < 2) {
            return;
        }
        long ceiling = retryBackoffNanos << Math.min(6, attempt - 2);
        LockSupport.parkNanos(ThreadLocalRandom.current().nextLong(ceiling + 1));
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

    /**
     * Snapshots {@code aggregate} if the policy says it is due. A failed snapshot does not fail the command (its
     * events are stored); it is logged and counted, and tried again after the next command.
     */
    private Aggregate<S> snapshotIfDue(String stream, Aggregate<S> aggregate) {
        if (snapshots == null || aggregate.version() - aggregate.snapshotVersion() < snapshots.everyEvents()) {
            return aggregate;
        }
        try {
            ObjectMapper mapper = types.objectMapper();
            JsonNode state = mapper.valueToTree(aggregate.state());
            snapshotStore.save(new Snapshot(stream, aggregate.version(), snapshots.fingerprint(), aggregate.lastCommand(),
                    aggregate.lastCommandFirstVersion(), state));
        } catch (IOException | IllegalArgumentException | EventStoreException e) {
            metrics.snapshotFailed();
            LOG.warn("Could not snapshot stream '{}' at version {}: {}", stream, aggregate.version(), e.toString());
            return aggregate;
        }
        metrics.snapshotSaved();
        return new Aggregate<>(aggregate.version(), aggregate.state(), aggregate.version(), aggregate.lastCommand(),
                aggregate.lastCommandFirstVersion());
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
