package dev.strata.saga.internal;

import dev.strata.saga.SagaScheduler;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/** The default scheduler: one daemon thread; the delay is measured on the orchestrator's clock when scheduling. */
public final class ExecutorScheduler implements SagaScheduler, AutoCloseable {

    private final Clock clock;
    private final ScheduledThreadPoolExecutor executor;

    public ExecutorScheduler(Clock clock) {
        this.clock = clock;
        this.executor = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, "strata-saga-timer");
            thread.setDaemon(true);
            return thread;
        });
        executor.setRemoveOnCancelPolicy(true);
    }

    @Override
    public Cancellable schedule(Instant at, Runnable task) {
        long delay = Math.max(0, Duration.between(clock.instant(), at).toNanos());
        ScheduledFuture<?> future = executor.schedule(task, delay, TimeUnit.NANOSECONDS);
        return () -> future.cancel(false);
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
