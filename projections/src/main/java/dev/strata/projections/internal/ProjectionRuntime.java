package dev.strata.projections.internal;

import dev.strata.eventstore.RecordedEvent;
import dev.strata.eventstore.ValidationException;
import dev.strata.projections.KeyCodec;
import dev.strata.projections.Projection;
import dev.strata.projections.ProjectionContext;
import dev.strata.projections.ProjectionFailure;
import dev.strata.projections.ProjectionOptions;
import dev.strata.projections.ProjectionStateException;
import dev.strata.projections.ProjectionStoppedException;
import dev.strata.projections.ProjectionTimeoutException;
import dev.strata.projections.DecodedEvent;
import dev.strata.projections.ValueCodec;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

/**
 * A registered projection at run time: its definition and options, the generation that serves, the rebuild in
 * progress if any, its meters, and the waits for its position.
 */
final class ProjectionRuntime {

    private final Projection<Object, Object> projection;
    private final ProjectionOptions options;
    private final Object commits = new Object();
    private final AtomicInteger waiting = new AtomicInteger();
    private volatile Generation active;
    private volatile RebuildTask rebuild;
    private volatile boolean closed;
    private ProjectionMetrics metrics;

    @SuppressWarnings("unchecked")
    ProjectionRuntime(Registration registration) {
        this.projection = (Projection<Object, Object>) registration.projection();
        this.options = registration.options();
    }

    String name() {
        return projection.name();
    }

    Projection<Object, Object> projection() {
        return projection;
    }

    KeyCodec<Object> keyCodec() {
        return projection.keyCodec();
    }

    ValueCodec<Object> valueCodec() {
        return projection.valueCodec();
    }

    ProjectionOptions options() {
        return options;
    }

    int partitions() {
        return options.partitions();
    }

    Generation active() {
        return active;
    }

    void active(Generation generation) {
        this.active = generation;
        signalCommitted();
    }

    RebuildTask rebuild() {
        return rebuild;
    }

    void rebuild(RebuildTask task) {
        this.rebuild = task;
    }

    ProjectionMetrics metrics() {
        return metrics;
    }

    void metrics(ProjectionMetrics metrics) {
        this.metrics = metrics;
    }

    void handle(RecordedEvent event, Object data, ProjectionContext<Object, Object> context) {
        projection.handle(new DecodedEvent(event, data), context);
    }

    /** The event's key; a key function that fails or returns null makes the event poison (the stream stands in). */
    String keyOf(RecordedEvent event) {
        String key = projection.keyOf(event);
        if (key == null) {
            throw new ValidationException("keyOf", null, "must return a key for " + event + " (projection " + name() + ")");
        }
        return key;
    }

    /** The partition of a key: stable across runs (String.hashCode is specified), fixed per generation. */
    int partitionOf(String key) {
        return Math.floorMod(key.hashCode(), options.partitions());
    }

    /** The serving generation, registered as in use by one query; release it when done. */
    Generation acquire() {
        while (true) {
            if (closed) {
                throw new ProjectionStateException("the pipeline of projection " + name() + " is closed");
            }
            Generation generation = active;
            if (generation.acquire()) {
                return generation;
            }
            Thread.onSpinWait(); // retired by a switch: the next read of active sees the new one
        }
    }

    void close() {
        closed = true;
        signalCommitted();
    }

    boolean isClosed() {
        return closed;
    }

    /** Called after every commit that moved a checkpoint of this projection. */
    void signalCommitted() {
        if (waiting.get() > 0) {
            synchronized (commits) {
                commits.notifyAll();
            }
        }
    }

    void awaitPosition(long position, Duration timeout) {
        boolean reached = await(() -> {
            Generation generation = active;
            if (generation.position() >= position) {
                return true;
            }
            for (Map.Entry<Integer, ProjectionFailure> failure : generation.failures().entrySet()) {
                if (generation.checkpoint(failure.getKey()) < position) {
                    throw new ProjectionStoppedException(failure.getValue());
                }
            }
            if (closed) {
                throw new ProjectionStateException("the pipeline of projection " + name() + " closed while waiting for position " + position);
            }
            return false;
        }, timeout);
        if (!reached) {
            throw new ProjectionTimeoutException(name(), position, active.position(), timeout);
        }
    }

    /** Waits until {@code condition} holds, re-checking after each commit; false on timeout. */
    boolean await(BooleanSupplier condition, Duration timeout) {
        if (condition.getAsBoolean()) {
            return true;
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        waiting.incrementAndGet();
        try {
            synchronized (commits) {
                while (!condition.getAsBoolean()) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        return false;
                    }
                    // A bounded wait: a commit's notify can fall between the check and the wait.
                    commits.wait(Math.max(1, Math.min(TimeUnit.NANOSECONDS.toMillis(left), 50)));
                }
                return true;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return condition.getAsBoolean();
        } finally {
            waiting.decrementAndGet();
        }
    }

    @Override
    public String toString() {
        return "projection " + name();
    }
}
