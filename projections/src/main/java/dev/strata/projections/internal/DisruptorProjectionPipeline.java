package dev.strata.projections.internal;

import dev.strata.eventstore.EventStore;
import dev.strata.eventstore.StoreClosedException;
import dev.strata.eventstore.ValidationException;
import dev.strata.projections.ParkedEvent;
import dev.strata.projections.Projection;
import dev.strata.projections.ProjectionFailure;
import dev.strata.projections.ProjectionPipeline;
import dev.strata.projections.ProjectionState;
import dev.strata.projections.ProjectionStateException;
import dev.strata.projections.ProjectionStatus;
import dev.strata.projections.ReadModel;
import dev.strata.projections.ReadModelException;
import dev.strata.projections.Rebuild;
import dev.strata.projections.ReplayListener;
import dev.strata.projections.ReplayRequest;
import dev.strata.projections.ReplayResult;
import dev.strata.projections.RetryResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;
import org.rocksdb.RocksDBException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pipeline: the read models' database, one runtime per projection, the live ring, and the catching-up rings of
 * rebuilds and resumed partitions.
 *
 * <h2>Threads</h2>
 * The live ring's tailer (a store subscription) and one projector thread per projection partition; per rebuild or
 * resume, a catching-up ring's tailer and projectors while it catches up; {@code strata-projections-control}, which
 * runs rebuild, resume and switch steps one at a time (so they never race one another); a supervisor per automatic
 * rebuild.
 *
 * <h2>Close order</h2>
 * Stop taking control steps (finish the queued ones); close catching-up rings; close the live ring (the tailer
 * first, then the projectors, which commit); wait for running queries; close the database.
 */
public final class DisruptorProjectionPipeline implements ProjectionPipeline {

    private static final Logger LOG = LoggerFactory.getLogger(DisruptorProjectionPipeline.class);
    static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);
    private static final long CONTROL_TIMEOUT_SECONDS = 120;

    private enum State { OPEN, RUNNING, CLOSED }

    private final PipelineSettings settings;
    private final EventStore store;
    private final ReadModelDatabase db;
    private final Map<String, ProjectionRuntime> runtimes = new LinkedHashMap<>();
    private final Map<String, Long> pendingAutoRebuilds = new LinkedHashMap<>();
    private final Set<ProjectorRing> catchingUp = ConcurrentHashMap.newKeySet();
    private final ExecutorService control;
    private final Object lifecycle = new Object();
    private volatile State state = State.OPEN;
    private volatile ProjectorRing live;

    private DisruptorProjectionPipeline(PipelineSettings settings, ReadModelDatabase db) {
        this.settings = settings;
        this.store = settings.store();
        this.db = db;
        this.control = Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, "strata-projections-control");
            thread.setDaemon(true);
            return thread;
        });
        for (Registration registration : settings.registrations()) {
            ProjectionRuntime runtime = new ProjectionRuntime(registration);
            load(runtime);
            runtimes.put(runtime.name(), runtime);
        }
        for (ProjectionRuntime runtime : runtimes.values()) {
            runtime.metrics(new ProjectionMetrics(settings.meterRegistry(), runtime, store));
        }
    }

    ReadModelDatabase db() {
        return db;
    }

    EventStore store() {
        return store;
    }

    PipelineSettings settings() {
        return settings;
    }

    public static DisruptorProjectionPipeline open(PipelineSettings settings) {
        ReadModelDatabase db = ReadModelDatabase.open(settings.directory());
        try {
            DisruptorProjectionPipeline pipeline = new DisruptorProjectionPipeline(settings, db);
            LOG.info("Opened read models in {}: {}", settings.directory(), pipeline.describeGenerations());
            return pipeline;
        } catch (RuntimeException e) {
            db.close();
            throw e;
        }
    }

    private String describeGenerations() {
        List<String> parts = new ArrayList<>();
        for (ProjectionRuntime runtime : runtimes.values()) {
            Generation active = runtime.active();
            parts.add(runtime.name() + " generation " + active.number() + " at " + active.position()
                    + (runtime.rebuild() != null ? " (rebuilding generation " + runtime.rebuild().generation() + ")" : ""));
        }
        return String.join(", ", parts);
    }

    // ------------------------------------------------------------ opening: generations from the database

    private void load(ProjectionRuntime runtime) {
        String name = runtime.name();
        OptionalLong active = db.getLong(MetaKeys.active(name));
        OptionalLong building = db.getLong(MetaKeys.rebuild(name));
        Set<Long> stored = db.generations(name);
        for (long generation : stored) {
            boolean retired = db.get(db.meta(), MetaKeys.retired(name, generation)) != null;
            boolean reachable = (active.isPresent() && active.getAsLong() == generation)
                    || (building.isPresent() && building.getAsLong() == generation);
            if (retired || !reachable) {
                LOG.info("Dropping {} generation {} ({})", name, generation, retired ? "switched away from" : "left over by a crash");
                db.dropGeneration(name, generation);
            }
        }
        if (building.isPresent() && db.family(name, building.getAsLong()) == null) {
            deleteRecord(MetaKeys.rebuild(name));
            building = OptionalLong.empty();
        }
        if (active.isPresent() && db.family(name, active.getAsLong()) == null) {
            throw new ReadModelException("the read models in " + db.directory() + " name generation " + active.getAsLong()
                    + " of " + name + " as serving but it is missing; move the folder away and rebuild", null);
        }
        long declared = runtime.projection().generation();
        if (active.isEmpty()) {
            if (building.isPresent()) {
                // The first generation was being replayed: it is all there is, so it serves (and goes on from its checkpoint).
                try (WriteBatch batch = new WriteBatch()) {
                    batch.put(db.meta(), MetaKeys.active(name), ReadModelDatabase.int64(building.getAsLong()));
                    batch.delete(db.meta(), MetaKeys.rebuild(name));
                    db.writeSynced(batch);
                } catch (RocksDBException e) {
                    throw new ReadModelException("cannot write the read models: " + e.getMessage(), e);
                }
                active = building;
                building = OptionalLong.empty();
            } else {
                db.createGeneration(name, declared, runtime.partitions(), -1, MetaKeys.active(name));
                active = OptionalLong.of(declared);
            }
        }
        Generation serving = loadGeneration(runtime, active.getAsLong());
        requireNotAhead(runtime, serving);
        runtime.active(serving);
        if (building.isPresent()) {
            Generation next = loadGeneration(runtime, building.getAsLong());
            if (next.number() < declared) {
                dropBuilding(runtime, next);
            } else {
                runtime.rebuild(new RebuildTask(this, runtime, next, next.number() == declared && declared > serving.number()));
            }
        }
        if (declared > serving.number() && runtime.rebuild() == null) {
            pendingAutoRebuilds.put(name, declared);
        }
    }

    private Generation loadGeneration(ProjectionRuntime runtime, long number) {
        String name = runtime.name();
        int partitions = db.getInt(MetaKeys.partitions(name, number), -1);
        if (partitions < 1) {
            throw new ReadModelException("generation " + number + " of " + name + " in " + db.directory()
                    + " has no partition count; move the folder away and rebuild", null);
        }
        if (partitions != runtime.partitions()) {
            throw new ValidationException("partitions", runtime.partitions(), "must equal the " + partitions
                    + " partitions generation " + number + " of " + name + " was built with (rebuild with a higher generation to change it)");
        }
        long[] checkpoints = new long[partitions];
        for (int p = 0; p < partitions; p++) {
            checkpoints[p] = db.getLong(MetaKeys.checkpoint(name, number, p)).orElse(-1);
        }
        Generation generation = new Generation(name, number, db.family(name, number), checkpoints);
        byte[] prefix = ParkedKeys.generationPrefix(name, number);
        long parked = 0;
        try (RocksIterator iterator = db.iterator(db.parked())) {
            for (iterator.seek(prefix); iterator.isValid() && ParkedKeys.startsWith(iterator.key(), prefix); iterator.next()) {
                parked++;
            }
        }
        generation.addParked(parked);
        return generation;
    }

    private void requireNotAhead(ProjectionRuntime runtime, Generation generation) {
        long head = store.headPosition();
        for (int p = 0; p < generation.partitions(); p++) {
            if (generation.checkpoint(p) > head) {
                throw new ProjectionStateException("projection " + runtime.name() + " generation " + generation.number()
                        + " has applied up to position " + generation.checkpoint(p) + " but the store's head is " + head
                        + ": the read models in " + db.directory() + " belong to another store, or the store lost acknowledged"
                        + " events; move them away and replay");
            }
        }
    }

    Target newTarget(ProjectionRuntime runtime, Generation generation, int partition, boolean replaying) {
        Set<String> keys = new HashSet<>();
        byte[] prefix = ParkedKeys.generationPrefix(runtime.name(), generation.number());
        try (RocksIterator iterator = db.iterator(db.parked())) {
            for (iterator.seek(prefix); iterator.isValid() && ParkedKeys.startsWith(iterator.key(), prefix); iterator.next()) {
                String key = ParkedKeys.keyOf(iterator.key(), prefix.length);
                if (runtime.partitionOf(key) == partition) {
                    keys.add(key);
                }
            }
        }
        return new Target(runtime, generation, partition, replaying, keys);
    }

    // ------------------------------------------------------------ running

    @Override
    public void start() {
        synchronized (lifecycle) {
            if (state != State.OPEN) {
                throw new ProjectionStateException("the pipeline is " + state.name().toLowerCase() + "; start it once, after open()");
            }
            Map<ProjectionRuntime, List<List<Target>>> plan = new LinkedHashMap<>();
            long from = Long.MAX_VALUE;
            for (ProjectionRuntime runtime : runtimes.values()) {
                RebuildTask rebuild = runtime.rebuild();
                boolean joined = rebuild != null && sameCheckpoints(runtime.active(), rebuild.generationState());
                List<List<Target>> partitions = new ArrayList<>();
                for (int p = 0; p < runtime.partitions(); p++) {
                    List<Target> targets = new ArrayList<>();
                    targets.add(newTarget(runtime, runtime.active(), p, false));
                    if (joined) {
                        targets.add(newTarget(runtime, rebuild.generationState(), p, true));
                    }
                    for (Target target : targets) {
                        from = Math.min(from, target.checkpoint + 1);
                        target.generation.attached().incrementAndGet();
                    }
                    partitions.add(targets);
                }
                plan.put(runtime, partitions);
            }
            List<Projector> projectors = new ArrayList<>();
            for (Map.Entry<ProjectionRuntime, List<List<Target>>> entry : plan.entrySet()) {
                for (int p = 0; p < entry.getValue().size(); p++) {
                    projectors.add(projector(entry.getKey(), p, entry.getValue().get(p), from));
                }
            }
            live = new ProjectorRing("live", settings, projectors, from, null).start();
            state = State.RUNNING;
            LOG.info("Projection pipeline started at position {} with {} projector threads", from, projectors.size());
            for (ProjectionRuntime runtime : runtimes.values()) {
                RebuildTask rebuild = runtime.rebuild();
                if (rebuild != null) {
                    if (rebuild.generationState().attached().get() == 0) {
                        execute(rebuild::startBackfill);
                    }
                    if (rebuild.autoSwitch()) {
                        rebuild.superviseSwitch();
                    }
                }
            }
            pendingAutoRebuilds.forEach((name, generation) -> {
                ProjectionRuntime runtime = runtimes.get(name);
                LOG.info("Projection {} declares generation {} but generation {} serves: rebuilding", name, generation,
                        runtime.active().number());
                startRebuild(runtime, generation, true);
            });
            pendingAutoRebuilds.clear();
        }
    }

    Projector projector(ProjectionRuntime runtime, int partition, List<Target> targets, long start) {
        return new Projector(runtime, partition, targets, db, store, settings.decoder(), settings.maxBatchEvents(), start);
    }

    private static boolean sameCheckpoints(Generation a, Generation b) {
        for (int p = 0; p < a.partitions(); p++) {
            if (a.checkpoint(p) != b.checkpoint(p)) {
                return false;
            }
        }
        return true;
    }

    @Override
    public boolean isRunning() {
        return state == State.RUNNING;
    }

    /**
     * Starts a catching-up ring over {@code targets} from their lowest checkpoint; once it reached the head, its
     * targets go to {@code then} on the control thread.
     */
    ProjectorRing catchUp(ProjectionRuntime runtime, List<Target> targets, Consumer<List<Target>> then) {
        long from = targets.stream().mapToLong(target -> target.checkpoint + 1).min().orElse(0);
        List<Projector> projectors = new ArrayList<>();
        for (Target target : targets) {
            projectors.add(projector(runtime, -1, List.of(target), from));
        }
        AtomicReference<ProjectorRing> self = new AtomicReference<>();
        ProjectorRing ring = new ProjectorRing("catch-up-" + runtime.name(), settings, projectors, from,
                handed -> execute(() -> {
                    closeCatchUp(self.get());
                    then.accept(handed);
                }));
        self.set(ring);
        catchingUp.add(ring);
        return ring.start();
    }

    void closeCatchUp(ProjectorRing ring) {
        if (ring != null && catchingUp.remove(ring)) {
            ring.close(CLOSE_TIMEOUT);
        }
    }

    /** Hands targets to the live ring's projectors of their partitions; {@code then} runs once all took them. */
    void adopt(ProjectionRuntime runtime, List<Target> targets, Runnable then) {
        long partitions = targets.stream().mapToInt(target -> target.partition).distinct().count();
        live.publish(new Control.Adopt(runtime, targets, new Control.Countdown((int) partitions, then)));
    }

    /** Makes the live ring's projectors drop {@code generation}, and waits until they did. */
    void retireFromLive(ProjectionRuntime runtime, Generation generation) {
        Control.Countdown countdown = new Control.Countdown(runtime.partitions(), () -> { });
        live.publish(new Control.Retire(runtime, generation, countdown));
        if (!countdown.await(CONTROL_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            throw new ProjectionStateException("the projectors of " + runtime.name() + " did not let go of " + generation
                    + " within " + CONTROL_TIMEOUT_SECONDS + " s (a handler is stuck?)");
        }
    }

    /** The switch: one synced write names the new generation serving and the old one retired; then the old one goes. */
    void switchTo(ProjectionRuntime runtime, Generation old, Generation next) {
        try (WriteBatch batch = new WriteBatch()) {
            batch.put(db.meta(), MetaKeys.active(runtime.name()), ReadModelDatabase.int64(next.number()));
            batch.delete(db.meta(), MetaKeys.rebuild(runtime.name()));
            batch.put(db.meta(), MetaKeys.retired(runtime.name(), old.number()), new byte[0]);
            db.writeSynced(batch);
        } catch (RocksDBException e) {
            throw new ReadModelException("cannot switch " + runtime.name() + " to generation " + next.number() + ": " + e.getMessage(), e);
        }
        runtime.active(next);
        if (live != null && state == State.RUNNING) {
            retireFromLive(runtime, old);
        }
        old.retire();
        db.dropGeneration(runtime.name(), old.number());
    }

    /** Drops a generation that was being built (its rebuild was cancelled, or superseded). */
    void dropBuilding(ProjectionRuntime runtime, Generation generation) {
        generation.retire();
        db.dropGeneration(runtime.name(), generation.number());
        deleteRecord(MetaKeys.rebuild(runtime.name()));
    }

    private void deleteRecord(byte[] key) {
        try (WriteBatch batch = new WriteBatch()) {
            batch.delete(db.meta(), key);
            db.writeSynced(batch);
        } catch (RocksDBException e) {
            throw new ReadModelException("cannot write the read models: " + e.getMessage(), e);
        }
    }

    ReadModelDatabase database() {
        return db;
    }

    long headPosition() {
        try {
            return store.headPosition();
        } catch (StoreClosedException e) {
            return -1;
        }
    }

    private void execute(Runnable step) {
        try {
            control.execute(() -> {
                try {
                    step.run();
                } catch (RuntimeException e) {
                    LOG.error("Projection control step failed: {}", e.toString(), e);
                }
            });
        } catch (RejectedExecutionException e) {
            LOG.debug("Pipeline closing: a control step was dropped");
        }
    }

    /** Runs {@code step} on the control thread and waits for it, passing its failure on. */
    <T> T onControlThread(Callable<T> step) {
        requireRunning();
        Future<T> future;
        try {
            future = control.submit(step);
        } catch (RejectedExecutionException e) {
            throw new ProjectionStateException("the pipeline is closing");
        }
        try {
            return future.get(CONTROL_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new ProjectionStateException("control step failed: " + e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProjectionStateException("interrupted while waiting for a control step");
        } catch (java.util.concurrent.TimeoutException e) {
            throw new ProjectionStateException("a control step did not finish within " + CONTROL_TIMEOUT_SECONDS + " s");
        }
    }

    private void requireRunning() {
        if (state != State.RUNNING) {
            throw new ProjectionStateException("the pipeline is " + state.name().toLowerCase() + "; this needs a started pipeline");
        }
    }

    private ProjectionRuntime runtime(String name) {
        ProjectionRuntime runtime = name == null ? null : runtimes.get(name);
        if (runtime == null) {
            throw new ValidationException("projection", name, "must name a registered projection " + runtimes.keySet());
        }
        return runtime;
    }

    // ------------------------------------------------------------ queries and status

    @Override
    public <K, V> ReadModel<K, V> readModel(Projection<K, V> projection) {
        if (projection == null) {
            throw new ValidationException("projection", null, "must not be null");
        }
        ProjectionRuntime runtime = runtime(projection.name());
        return new RocksDbReadModel<>(db, runtime, projection.keyCodec(), projection.valueCodec(), settings.queryTimeout(), -1,
                settings.queryTimeout());
    }

    @Override
    public void awaitPosition(String projection, long position, Duration timeout) {
        ProjectionRuntime runtime = runtime(projection);
        if (timeout == null || timeout.isNegative()) {
            throw new ValidationException("timeout", timeout, "must be >= 0");
        }
        runtime.awaitPosition(position, timeout);
    }

    @Override
    public ProjectionStatus status(String projection) {
        return status(runtime(projection));
    }

    @Override
    public List<ProjectionStatus> status() {
        List<ProjectionStatus> all = new ArrayList<>();
        for (ProjectionRuntime runtime : runtimes.values()) {
            all.add(status(runtime));
        }
        return all;
    }

    private ProjectionStatus status(ProjectionRuntime runtime) {
        Generation serving = runtime.active();
        long head = headPosition();
        long checkpoint = serving.position();
        Optional<ProjectionFailure> failure = serving.firstFailure();
        ProjectorRing ring = live;
        Throwable tailer = ring == null ? null : ring.tailerFailure();
        if (failure.isEmpty() && tailer != null && !(tailer instanceof StoreClosedException)) {
            failure = Optional.of(new ProjectionFailure(runtime.name(), serving.number(), -1, ring.lastPublished() + 1, null,
                    "", "", "the pipeline stopped reading the log: " + BatchWriter.describe(tailer)));
        }
        ProjectionState projectionState = state != State.RUNNING ? ProjectionState.IDLE
                : failure.isPresent() ? ProjectionState.STOPPED : ProjectionState.RUNNING;
        RebuildTask rebuild = runtime.rebuild();
        return new ProjectionStatus(runtime.name(), serving.number(), projectionState, checkpoint, head,
                Math.max(0, head - checkpoint), runtime.metrics().eventsPerSecond(), runtime.metrics().meanBatchSize(),
                serving.parked(), runtime.partitions(), failure, rebuild == null ? Optional.empty() : Optional.of(rebuild.status()));
    }

    @Override
    public List<ParkedEvent> parked(String projection, int limit) {
        ProjectionRuntime runtime = runtime(projection);
        if (limit <= 0) {
            throw new ValidationException("limit", limit, "must be > 0");
        }
        Generation serving = runtime.acquire();
        try {
            List<ParkedEvent> parked = new ArrayList<>();
            byte[] prefix = ParkedKeys.generationPrefix(runtime.name(), serving.number());
            try (RocksIterator iterator = db.iterator(db.parked())) {
                for (iterator.seek(prefix); iterator.isValid() && parked.size() < limit
                        && ParkedKeys.startsWith(iterator.key(), prefix); iterator.next()) {
                    parked.add(ParkedKeys.toParkedEvent(runtime.name(), serving.number(), iterator.key(), iterator.value(), prefix.length));
                }
            }
            return parked;
        } finally {
            serving.release();
        }
    }

    // ------------------------------------------------------------ poison: retry and resume

    @Override
    public RetryResult retryParked(String projection) {
        return retry(runtime(projection), null);
    }

    @Override
    public RetryResult retryParked(String projection, String key) {
        if (key == null) {
            throw new ValidationException("key", null, "must not be null (retryParked(projection) retries every key)");
        }
        return retry(runtime(projection), key);
    }

    private RetryResult retry(ProjectionRuntime runtime, String key) {
        synchronized (lifecycle) {
            if (state == State.CLOSED) {
                throw new ProjectionStateException("the pipeline is closed");
            }
            if (state == State.OPEN) {
                // Not started: nobody else writes, so the retry runs right here.
                long applied = 0;
                long still = 0;
                try (BatchWriter writer = new BatchWriter(db)) {
                    for (int p = 0; p < runtime.partitions(); p++) {
                        Target target = newTarget(runtime, runtime.active(), p, false);
                        long[] result = ParkedRetry.retry(writer, db, store, settings.decoder(), target, key);
                        applied += result[0];
                        still += result[1];
                    }
                    writer.commit();
                }
                return new RetryResult(applied, still);
            }
        }
        AtomicLong applied = new AtomicLong();
        AtomicLong still = new AtomicLong();
        Control.Countdown countdown = new Control.Countdown(runtime.partitions(), () -> { });
        live.publish(new Control.RetryParked(runtime, key, applied, still, countdown));
        if (!countdown.await(CONTROL_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            throw new ProjectionStateException("the retry of parked events of " + runtime.name() + " did not finish within "
                    + CONTROL_TIMEOUT_SECONDS + " s; it goes on");
        }
        LOG.info("Retried parked events of {}: {} applied, {} still parked", runtime.name(), applied.get(), still.get());
        return new RetryResult(applied.get(), still.get());
    }

    @Override
    public void resume(String projection) {
        ProjectionRuntime runtime = runtime(projection);
        onControlThread(() -> {
            List<Target> detached = new ArrayList<>();
            Control.Countdown countdown = new Control.Countdown(runtime.partitions(), () -> { });
            live.publish(new Control.DetachStopped(runtime, detached, countdown));
            if (!countdown.await(CONTROL_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                throw new ProjectionStateException("the projectors of " + runtime.name() + " did not answer within "
                        + CONTROL_TIMEOUT_SECONDS + " s");
            }
            List<Target> fresh = new ArrayList<>();
            synchronized (detached) {
                for (Target target : detached) {
                    target.generation.failures().remove(target.partition);
                    // Reloaded from what was committed: a stop may have left the old object ahead of the database.
                    fresh.add(newTarget(runtime, target.generation, target.partition, target.replaying));
                }
            }
            if (!fresh.isEmpty()) {
                LOG.info("Resuming {}: {}", runtime.name(), fresh);
                catchUp(runtime, fresh, caughtUp -> adopt(runtime, caughtUp, runtime::signalCommitted));
            }
            return null;
        });
    }

    // ------------------------------------------------------------ rebuild and replay

    @Override
    public Rebuild rebuild(String projection) {
        ProjectionRuntime runtime = runtime(projection);
        return onControlThread(() -> {
            RebuildTask running = runtime.rebuild();
            if (running != null) {
                return running;
            }
            long next = Math.max(runtime.active().number(), db.generations(runtime.name()).stream().mapToLong(Long::longValue).max().orElse(0)) + 1;
            return createRebuild(runtime, next, false);
        });
    }

    private void startRebuild(ProjectionRuntime runtime, long generation, boolean autoSwitch) {
        execute(() -> {
            if (runtime.rebuild() == null) {
                RebuildTask task = createRebuild(runtime, generation, autoSwitch);
                if (autoSwitch) {
                    task.superviseSwitch();
                }
            }
        });
    }

    private RebuildTask createRebuild(ProjectionRuntime runtime, long number, boolean autoSwitch) {
        Generation generation = createGeneration(runtime, number, -1, MetaKeys.rebuild(runtime.name()));
        RebuildTask task = new RebuildTask(this, runtime, generation, autoSwitch);
        runtime.rebuild(task);
        task.startBackfill();
        return task;
    }

    Generation createGeneration(ProjectionRuntime runtime, long number, long checkpoint, byte[] marker) {
        db.createGeneration(runtime.name(), number, runtime.partitions(), checkpoint, marker);
        return loadGeneration(runtime, number);
    }

    @Override
    public ReplayResult replay(ReplayRequest request, ReplayListener listener) {
        if (request == null) {
            throw new ValidationException("request", null, "must not be null");
        }
        ReplayListener progress = listener == null ? ReplayListener.NONE : listener;
        synchronized (lifecycle) {
            if (state != State.OPEN) {
                throw new ProjectionStateException("replay needs a pipeline that is open and not started (this one is "
                        + state.name().toLowerCase() + "); a running pipeline rebuilds with rebuild()");
            }
            return new OfflineReplay(this, runtime(request.projection()), request, progress).run();
        }
    }

    // ------------------------------------------------------------ closing

    @Override
    public void close() {
        synchronized (lifecycle) {
            if (state == State.CLOSED) {
                return;
            }
            state = State.CLOSED;
        }
        control.shutdown();
        try {
            if (!control.awaitTermination(CLOSE_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                LOG.warn("A projection control step did not finish within {} s", CLOSE_TIMEOUT.toSeconds());
                control.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (ProjectorRing ring : List.copyOf(catchingUp)) {
            closeCatchUp(ring);
        }
        if (live != null) {
            live.close(CLOSE_TIMEOUT);
        }
        for (ProjectionRuntime runtime : runtimes.values()) {
            runtime.close();
            runtime.active().retire();
            if (runtime.rebuild() != null) {
                runtime.rebuild().generationState().retire();
            }
            runtime.metrics().remove();
        }
        db.close();
        LOG.info("Projection pipeline closed");
    }

    @Override
    public String toString() {
        return "projection pipeline " + Collections.unmodifiableSet(runtimes.keySet()) + " (" + state + ")";
    }
}
