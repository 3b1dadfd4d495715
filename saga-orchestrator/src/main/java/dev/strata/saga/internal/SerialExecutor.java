package dev.strata.saga.internal;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * A saga's mailbox: runs its tasks one at a time, in submission order, on a shared pool. Everything that touches a
 * saga's in-memory state (append acknowledgements, call outcomes, replies, timers) goes through it, so that state
 * needs no lock, and a pool of a few threads serves any number of sagas.
 */
public final class SerialExecutor implements Executor {

    private final Executor pool;
    private final Consumer<Throwable> onFailure;
    private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean scheduled = new AtomicBoolean();

    public SerialExecutor(Executor pool, Consumer<Throwable> onFailure) {
        this.pool = pool;
        this.onFailure = onFailure;
    }

    @Override
    public void execute(Runnable task) {
        tasks.add(task);
        schedule();
    }

    private void schedule() {
        if (!tasks.isEmpty() && scheduled.compareAndSet(false, true)) {
            try {
                pool.execute(this::drain);
            } catch (RejectedExecutionException e) {
                // the orchestrator is closing: its sagas resume from their logs on the next start
                tasks.clear();
            }
        }
    }

    private void drain() {
        try {
            Runnable task;
            // a bounded batch keeps one busy saga from starving the others on the pool
            for (int i = 0; i < 64 && (task = tasks.poll()) != null; i++) {
                try {
                    task.run();
                } catch (Throwable failure) { // the mailbox is a thread boundary: hand the failure to the saga
                    onFailure.accept(failure);
                }
            }
        } finally {
            scheduled.set(false);
            schedule();
        }
    }
}
