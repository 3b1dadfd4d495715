package dev.strata.projections.internal;

import dev.strata.eventstore.ValidationException;
import dev.strata.projections.ComparisonReport;
import dev.strata.projections.Comparison;
import dev.strata.projections.ProjectionFailure;
import dev.strata.projections.ProjectionPipeline;
import dev.strata.projections.ProjectionStateException;
import dev.strata.projections.ProjectionStoppedException;
import dev.strata.projections.ReplayListener;
import dev.strata.projections.ReplayProgress;
import dev.strata.projections.ReplayRequest;
import dev.strata.projections.ReplayResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The steps of an offline replay (see {@link ProjectionPipeline#replay}), in the caller's thread. */
final class OfflineReplay {

    private static final Logger LOG = LoggerFactory.getLogger(OfflineReplay.class);

    private final DisruptorProjectionPipeline pipeline;
    private final ProjectionRuntime runtime;
    private final ReplayRequest request;
    private final ReplayListener listener;

    OfflineReplay(DisruptorProjectionPipeline pipeline, ProjectionRuntime runtime, ReplayRequest request, ReplayListener listener) {
        this.pipeline = pipeline;
        this.runtime = runtime;
        this.request = request;
        this.listener = listener;
    }

    ReplayResult run() {
        ReadModelDatabase db = pipeline.db();
        Generation serving = runtime.active();
        long highest = Math.max(serving.number(), db.generations(runtime.name()).stream().mapToLong(Long::longValue).max().orElse(0));
        long number = request.generation().orElse(highest + 1);
        if (number <= serving.number()) {
            throw new ValidationException("generation", number, "must be greater than the serving generation "
                    + serving.number() + " of " + runtime.name());
        }
        Generation building = null;
        RebuildTask pending = runtime.rebuild();
        if (pending != null) {
            if (pending.generation() == number && request.from().isEmpty()) {
                building = pending.generationState();
                LOG.info("Replay of {} goes on with generation {} from position {}", runtime.name(), number, building.position() + 1);
            } else {
                LOG.info("Replay of {} drops the unfinished generation {}", runtime.name(), pending.generation());
                pipeline.dropBuilding(runtime, pending.generationState());
            }
            runtime.rebuild(null);
        }
        if (building == null) {
            building = pipeline.createGeneration(runtime, number, request.from().orElse(0) - 1, MetaKeys.rebuild(runtime.name()));
        }
        // Visible in status() while it runs, and after it if it stops on a poison event (to be continued).
        runtime.rebuild(new RebuildTask(pipeline, runtime, building, false));
        long from = building.position() + 1;
        long head = pipeline.store().headPosition();
        long started = System.nanoTime();
        List<Target> targets = new ArrayList<>();
        for (int p = 0; p < building.partitions(); p++) {
            targets.add(pipeline.newTarget(runtime, building, p, true));
        }
        Generation built = building;
        ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "strata-replay-progress");
            thread.setDaemon(true);
            return thread;
        });
        ticker.scheduleAtFixedRate(() -> report(built, from, head, started), 250, 250, TimeUnit.MILLISECONDS);
        Optional<ComparisonReport> comparison = Optional.empty();
        try {
            if (request.verify() && serving.position() >= 0) {
                for (Target target : targets) {
                    target.limit = serving.checkpoint(target.partition);
                }
                runToHead(targets);
                requireNotStopped(building);
                ComparisonReport report = GenerationComparison.compare(db, runtime, serving, building, Comparison.full());
                comparison = Optional.of(report);
                LOG.info("Replay verification: {}", report.summary());
                if (!report.identical()) {
                    pipeline.dropBuilding(runtime, building);
                    runtime.rebuild(null);
                    return result(building, serving, from, started, false, comparison);
                }
                for (Target target : targets) {
                    target.limit = Long.MAX_VALUE;
                }
            }
            runToHead(targets);
            requireNotStopped(building);
        } finally {
            ticker.shutdownNow();
            report(building, from, head, started);
        }
        pipeline.switchTo(runtime, serving, building);
        runtime.rebuild(null);
        LOG.info("Replayed {} into generation {} ({} events in {} ms); it serves now", runtime.name(), building.number(),
                Math.max(0, building.position() - from + 1), TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
        return result(building, serving, from, started, true, comparison);
    }

    private ReplayResult result(Generation building, Generation serving, long from, long started, boolean switched,
                                Optional<ComparisonReport> comparison) {
        return new ReplayResult(runtime.name(), building.number(), OptionalLong.of(serving.number()), from,
                building.position(), Math.max(0, building.position() - from + 1),
                Duration.ofNanos(System.nanoTime() - started), building.parked(), switched, comparison);
    }

    private void runToHead(List<Target> targets) {
        CountDownLatch done = new CountDownLatch(1);
        long from = targets.stream().mapToLong(target -> target.checkpoint + 1).min().orElse(0);
        List<Projector> projectors = new ArrayList<>();
        for (Target target : targets) {
            projectors.add(pipeline.projector(runtime, -1, List.of(target), from));
        }
        ProjectorRing ring = new ProjectorRing("replay-" + runtime.name(), pipeline.settings(), projectors, from,
                handed -> done.countDown()).start();
        try {
            while (!done.await(200, TimeUnit.MILLISECONDS)) {
                Throwable failure = ring.tailerFailure();
                if (failure != null) {
                    throw new ProjectionStateException("the replay of " + runtime.name() + " stopped reading the log: "
                            + BatchWriter.describe(failure));
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProjectionStateException("interrupted while replaying " + runtime.name());
        } finally {
            ring.close(DisruptorProjectionPipeline.CLOSE_TIMEOUT);
        }
    }

    private void requireNotStopped(Generation building) {
        Optional<ProjectionFailure> failure = building.firstFailure();
        if (failure.isPresent()) {
            throw new ProjectionStoppedException(failure.get());
        }
    }

    private void report(Generation building, long from, long head, long started) {
        long position = building.position();
        double seconds = Math.max(1e-3, (System.nanoTime() - started) / 1e9);
        double rate = Math.max(0, position - from + 1) / seconds;
        long left = Math.max(0, head - position);
        Duration eta = rate > 0 ? Duration.ofMillis((long) (left / rate * 1000)) : Duration.ZERO;
        try {
            listener.onProgress(new ReplayProgress(runtime.name(), building.number(), position, from, head, rate,
                    Duration.ofNanos(System.nanoTime() - started), eta));
        } catch (RuntimeException e) {
            LOG.debug("A replay listener failed: {}", e.toString());
        }
    }
}
