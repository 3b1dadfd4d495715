package dev.strata.projections.internal;

import dev.strata.eventstore.ValidationException;
import dev.strata.projections.Comparison;
import dev.strata.projections.ComparisonReport;
import dev.strata.projections.ProjectionStateException;
import dev.strata.projections.Rebuild;
import dev.strata.projections.RebuildPhase;
import dev.strata.projections.RebuildStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A rebuild in progress. Its steps, each on the pipeline's control thread:
 * <ol>
 *   <li>backfill: a catching-up ring builds the new generation from its checkpoint (0 for a new rebuild) with side
 *       effects suppressed, until it reaches the head;</li>
 *   <li>join: the live ring's projectors adopt the new generation's targets, close the small gap from the log, and
 *       from then on write both generations in the same write batches: once their checkpoints are equal they stay
 *       equal (lock step), and the comparison and the switch are exact;</li>
 *   <li>switch: one synced write makes the new generation the serving one; readers pick it up with their next
 *       query; the old generation is dropped once the projectors let go of it and no query uses it.</li>
 * </ol>
 */
final class RebuildTask implements Rebuild {

    private static final Logger LOG = LoggerFactory.getLogger(RebuildTask.class);

    private final DisruptorProjectionPipeline pipeline;
    private final ProjectionRuntime runtime;
    private final Generation generation;
    private final boolean autoSwitch;
    private volatile boolean backfilling;
    private volatile RebuildPhase ended;
    private volatile ProjectorRing backfill;
    private final long started = System.nanoTime();

    RebuildTask(DisruptorProjectionPipeline pipeline, ProjectionRuntime runtime, Generation generation, boolean autoSwitch) {
        this.pipeline = pipeline;
        this.runtime = runtime;
        this.generation = generation;
        this.autoSwitch = autoSwitch;
    }

    @Override
    public String projection() {
        return runtime.name();
    }

    @Override
    public long generation() {
        return generation.number();
    }

    Generation generationState() {
        return generation;
    }

    boolean autoSwitch() {
        return autoSwitch;
    }

    long generationPosition() {
        return generation.position();
    }

    /** Step 1, on the control thread (or at start). */
    void startBackfill() {
        backfilling = true;
        List<Target> targets = new ArrayList<>();
        for (int p = 0; p < generation.partitions(); p++) {
            targets.add(pipeline.newTarget(runtime, generation, p, true));
        }
        LOG.info("Rebuilding {} into generation {} from position {}", runtime.name(), generation.number(), generation.position() + 1);
        backfill = pipeline.catchUp(runtime, targets, this::join);
    }

    /** Step 2, on the control thread, when the backfill reached the head. */
    private void join(List<Target> targets) {
        backfill = null;
        if (ended != null) {
            return; // cancelled meanwhile: the generation is gone
        }
        LOG.info("Rebuild of {} generation {} reached the head in {} ms; joining the live pipeline", runtime.name(),
                generation.number(), TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
        pipeline.adopt(runtime, targets, () -> backfilling = false);
    }

    /** Both generations applied exactly the same events, partition by partition, and the live ring writes both. */
    boolean inLockStep() {
        Generation serving = runtime.active();
        if (serving == generation || generation.attached().get() < generation.partitions()) {
            return false;
        }
        for (int p = 0; p < generation.partitions(); p++) {
            if (generation.checkpoint(p) != serving.checkpoint(p)) {
                return false;
            }
        }
        return true;
    }

    RebuildPhase phase() {
        RebuildPhase end = ended;
        if (end != null) {
            return end;
        }
        if (!generation.failures().isEmpty()) {
            return RebuildPhase.FAILED;
        }
        if (backfilling) {
            return RebuildPhase.BACKFILLING;
        }
        return inLockStep() ? RebuildPhase.CAUGHT_UP : RebuildPhase.JOINING;
    }

    @Override
    public RebuildStatus status() {
        long head = pipeline.headPosition();
        long position = generation.position();
        return new RebuildStatus(runtime.name(), generation.number(), phase(), position, Math.max(0, head - position),
                generation.firstFailure());
    }

    @Override
    public boolean awaitCaughtUp(Duration timeout) {
        if (timeout == null || timeout.isNegative()) {
            throw new ValidationException("timeout", timeout, "must be >= 0");
        }
        runtime.await(() -> {
            RebuildPhase phase = phase();
            return phase != RebuildPhase.BACKFILLING && phase != RebuildPhase.JOINING || runtime.isClosed();
        }, timeout);
        return phase() == RebuildPhase.CAUGHT_UP;
    }

    @Override
    public ComparisonReport compare(Comparison comparison) {
        if (comparison == null) {
            throw new ValidationException("comparison", null, "must be Comparison.full() or Comparison.sampled(fraction)");
        }
        requireCaughtUp("compare");
        ComparisonReport report = GenerationComparison.compare(pipeline.database(), runtime, runtime.active(), generation, comparison);
        LOG.info("Compared {}", report.summary());
        return report;
    }

    @Override
    public void switchOver() {
        pipeline.onControlThread(() -> {
            requireCaughtUp("switch over");
            Generation old = runtime.active();
            pipeline.switchTo(runtime, old, generation);
            ended = RebuildPhase.SWITCHED;
            runtime.rebuild(null);
            LOG.info("Projection {} switched from generation {} to {}", runtime.name(), old.number(), generation.number());
            return null;
        });
    }

    @Override
    public void cancel() {
        pipeline.onControlThread(() -> {
            if (ended != null) {
                return null;
            }
            ended = RebuildPhase.CANCELLED;
            ProjectorRing ring = backfill;
            if (ring != null) {
                pipeline.closeCatchUp(ring);
            } else {
                pipeline.retireFromLive(runtime, generation);
            }
            pipeline.dropBuilding(runtime, generation);
            runtime.rebuild(null);
            LOG.info("Rebuild of {} into generation {} cancelled", runtime.name(), generation.number());
            return null;
        });
    }

    /** For a rebuild started because the code's generation is higher than the stored one: switch once caught up. */
    void superviseSwitch() {
        Thread supervisor = new Thread(() -> {
            while (ended == null && !runtime.isClosed()) {
                if (awaitCaughtUp(Duration.ofSeconds(1))) {
                    try {
                        switchOver();
                    } catch (RuntimeException e) {
                        if (!runtime.isClosed()) {
                            LOG.warn("Automatic switch of {} to generation {} failed: {}", runtime.name(), generation.number(), e.toString());
                        }
                    }
                } else if (phase() == RebuildPhase.FAILED) {
                    sleep();
                }
            }
        }, "strata-rebuild-" + runtime.name());
        supervisor.setDaemon(true);
        supervisor.start();
    }

    private static void sleep() {
        try {
            Thread.sleep(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void requireCaughtUp(String what) {
        RebuildPhase phase = phase();
        if (phase != RebuildPhase.CAUGHT_UP) {
            throw new ProjectionStateException("cannot " + what + " the rebuild of " + runtime.name() + " into generation "
                    + generation.number() + " while it is " + phase + " (wait with awaitCaughtUp)");
        }
    }

    @Override
    public String toString() {
        return "rebuild of " + runtime.name() + " into generation " + generation.number() + " (" + phase() + ")";
    }
}
