package dev.strata.relay.internal;

import java.time.Duration;

/**
 * Waits between attempts, and wakes up early when the relay stops. Not {@link Thread#interrupt()}: an interrupt in
 * the middle of file I/O closes the channel (the checkpoint file) or leaves a Kafka client half-way.
 */
public interface Sleeper {

    /** Sleeps up to {@code duration}; returns early after {@link #wakeUp()}. */
    void sleep(Duration duration);

    void wakeUp();

    static Sleeper system() {
        return new Sleeper() {
            private final Object monitor = new Object();
            private boolean woken;

            @Override
            public void sleep(Duration duration) {
                long deadline = System.nanoTime() + duration.toNanos();
                synchronized (monitor) {
                    long left;
                    while (!woken && (left = deadline - System.nanoTime()) > 0) {
                        try {
                            monitor.wait(Math.max(1, left / 1_000_000));
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            return;
                        }
                    }
                }
            }

            @Override
            public void wakeUp() {
                synchronized (monitor) {
                    woken = true;
                    monitor.notifyAll();
                }
            }
        };
    }
}
