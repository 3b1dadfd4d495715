package dev.strata.eventstore.internal;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;

/**
 * Wakes threads that wait for a condition another thread makes true (a new commit, a new index checkpoint).
 * Signalling is nearly free when nobody waits, so the writer can signal after every commit.
 *
 * <p>No lost wake-up: a waiter registers before it checks the condition, and the signaller changes the state
 * (a volatile write) before it checks for waiters.
 */
public final class Signal {

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final AtomicInteger waiters = new AtomicInteger();

    public void signalAll() {
        if (waiters.get() > 0) {
            lock.lock();
            try {
                changed.signalAll();
            } finally {
                lock.unlock();
            }
        }
    }

    /**
     * Waits until {@code ready} is true or the timeout passes.
     *
     * @return whether {@code ready} was true
     */
    public boolean await(BooleanSupplier ready, long timeout, TimeUnit unit) {
        if (ready.getAsBoolean()) {
            return true;
        }
        long remaining = unit.toNanos(timeout);
        lock.lock();
        waiters.incrementAndGet();
        try {
            while (!ready.getAsBoolean()) {
                if (remaining <= 0) {
                    return false;
                }
                remaining = changed.awaitNanos(remaining);
            }
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ready.getAsBoolean();
        } finally {
            waiters.decrementAndGet();
            lock.unlock();
        }
    }
}
