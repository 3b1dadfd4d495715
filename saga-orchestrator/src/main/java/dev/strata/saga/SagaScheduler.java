package dev.strata.saga;

import java.time.Instant;

/**
 * Runs a task at an instant of the orchestrator's clock: retry backoffs, step timeouts, saga deadlines and
 * circuit-breaker waits. Injected so that tests control time ({@link dev.strata.saga.testing.ManualScheduler});
 * the default runs on one daemon thread. Timers are derived from the saga log, so none is lost with a crash: the
 * next orchestrator arms them again from the recorded instants.
 */
public interface SagaScheduler {

    /** Runs {@code task} once, at or after {@code at}; a past instant runs it as soon as possible. */
    Cancellable schedule(Instant at, Runnable task);

    /** A scheduled task that may be called off. */
    @FunctionalInterface
    interface Cancellable {
        /** Calls the task off if it has not run; harmless otherwise. */
        void cancel();
    }
}
