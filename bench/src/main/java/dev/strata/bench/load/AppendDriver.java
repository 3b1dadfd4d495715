package dev.strata.bench.load;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Runs an {@link AppendLoad} against an {@link AppendTarget}: {@code concurrency} appender threads, each owning its
 * share of the streams and tracking their exact versions, appending until the measured window ends.
 *
 * <h2>What is measured</h2>
 * Only what completes inside the measured window (after the warm-up) counts. Throughput is acknowledged events per
 * second. Latency runs from the moment an append was <em>due</em> to its acknowledgement: at a fixed rate each
 * append is due on a schedule ({@code start + i x interval}), so an append that had to wait behind a slow one is
 * charged for the wait (the coordinated-omission correction of wrk2 and HdrHistogram); at max rate an append is due
 * when it is issued, so latency equals service time. Failed appends (conflicts, errors) count in their own fields,
 * not in latency or throughput.
 *
 * <h2>Conflicts</h2>
 * With {@code conflictRate > 0} and a target that checks versions, that fraction of appends to existing streams is
 * sent with the stream's previous version. Each must come back as {@link ExpectedVersionConflict}: one that succeeds,
 * or a conflict that was not injected, is an error, and {@link Measurement#clean()} turns false.
 */
public final class AppendDriver {

    private static final long REPORT_EVERY_NANOS = TimeUnit.SECONDS.toNanos(1);

    /** How long after the measured window the driver waits for outstanding acknowledgements before giving up on them. */
    static final long GRACE_SECONDS = 30;

    private final AppendTarget target;
    private final AppendLoad load;
    private final Progress progress;
    private final String label;
    private final String[] names;
    private final Recorder latency = new Recorder(3);
    private final Recorder service = new Recorder(3);
    private final Histogram latencyTotal = new Histogram(3);
    private final Histogram serviceTotal = new Histogram(3);
    private final LongAdder appends = new LongAdder();
    private final LongAdder events = new LongAdder();
    private final LongAdder allEvents = new LongAdder();
    private final LongAdder injected = new LongAdder();
    private final LongAdder detected = new LongAdder();
    private final LongAdder errors = new LongAdder();
    private final LongAdder unsent = new LongAdder();
    private final AtomicReference<String> firstError = new AtomicReference<>();
    private long start;
    private long measureStart;
    private long measureEnd;

    private AppendDriver(AppendTarget target, AppendLoad load, Progress progress, String label) {
        this.target = target;
        this.load = load;
        this.progress = progress;
        this.label = label;
        this.names = streamNames(load.streams());
    }

    /** Runs {@code load} against {@code target}, reporting progress under {@code label}. */
    public static Measurement run(AppendTarget target, AppendLoad load, Progress progress, String label) {
        if (load.concurrency() > target.maxConcurrency()) {
            throw new IllegalArgumentException("concurrency must be <= " + target.maxConcurrency() + " for " + target.name()
                    + " but was " + load.concurrency());
        }
        return new AppendDriver(target, load, progress, label).run();
    }

    /** Stream names shared by every target: {@code bench-0 ... bench-(n-1)} (category {@code bench}). */
    public static String[] streamNames(int n) {
        String[] names = new String[n];
        for (int i = 0; i < n; i++) {
            names[i] = "bench-" + i;
        }
        return names;
    }

    private Measurement run() {
        start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(20);
        measureStart = start + load.warmup().toNanos();
        measureEnd = measureStart + load.measure().toNanos();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < load.concurrency(); t++) {
            int thread = t;
            Thread appender = new Thread(() -> appendLoop(thread), target.name() + "-appender-" + t);
            appender.setDaemon(true);
            threads.add(appender);
        }
        threads.forEach(Thread::start);
        long nextReport = start + REPORT_EVERY_NANOS;
        long deadline = measureEnd + TimeUnit.SECONDS.toNanos(GRACE_SECONDS);
        for (Thread thread : threads) {
            while (thread.isAlive()) {
                join(thread, 100);
                long now = System.nanoTime();
                if (now >= nextReport) {
                    report();
                    nextReport += REPORT_EVERY_NANOS;
                }
                if (now >= deadline && thread.isAlive()) {
                    // a target that never answers must not hang the suite; its (daemon) thread is abandoned
                    error(new IllegalStateException(thread.getName() + " still waited for an acknowledgement " + GRACE_SECONDS
                            + " s after the measured window"));
                    break;
                }
            }
        }
        sample();
        double seconds = load.measure().toNanos() / 1e9;
        Measurement measurement = new Measurement(target.name(), target.durability(), load, seconds, appends.sum(), events.sum(),
                unsent.sum(), injected.sum(), detected.sum(), errors.sum(), firstError.get(), Latency.of(latencyTotal), Latency.of(serviceTotal));
        progress.report(String.format(Locale.ROOT, "  [%s] done: %,.0f events/s, %,d appends measured, p50 %.0f us, p99 %.0f us, max %.0f us, "
                        + "%sconflicts injected %d, detected %d, errors %d%s", label, measurement.eventsPerSecond(), measurement.appends(),
                measurement.latency().p50(), measurement.latency().p99(), measurement.latency().max(),
                measurement.unsent() == 0 ? "" : measurement.unsent() + " due but never sent (behind schedule), ", measurement.conflictsInjected(),
                measurement.conflictsDetected(), measurement.errors(), measurement.firstError() == null ? "" : " (first: " + measurement.firstError() + ")"));
        return measurement;
    }

    private void appendLoop(int thread) {
        int owned = load.streamsOf(thread);
        StreamPicker picker = StreamPicker.of(load.distribution(), owned, load.zipfExponent());
        SplittableRandom random = new SplittableRandom(load.seed() + thread);
        long[] versions = new long[owned];
        java.util.Arrays.fill(versions, -1);
        long interval = load.intervalNanos();
        long offset = interval / load.concurrency() * thread; // threads take turns on the fixed-rate schedule
        boolean conflicts = load.conflictRate() > 0 && target.checksExpectedVersion();
        int batch = load.batchSize();
        Semaphore window = new Semaphore(load.inFlight());
        try (AppendTarget.Session session = target.session(thread)) {
            for (long i = 0; ; i++) {
                long due;
                if (interval > 0) {
                    due = start + offset + i * interval;
                    if (due >= measureEnd) {
                        break;
                    }
                    if (System.nanoTime() >= measureEnd) {
                        // behind schedule at the end: the appends still due were never sent
                        unsent(due, interval);
                        break;
                    }
                    waitUntil(due);
                } else {
                    due = System.nanoTime();
                    if (due >= measureEnd) {
                        break;
                    }
                }
                window.acquireUninterruptibly();
                int k = picker.next(random);
                long expected = versions[k];
                boolean inject = conflicts && expected >= 0 && random.nextDouble() < load.conflictRate();
                if (!inject) {
                    versions[k] += batch;
                }
                long issued = System.nanoTime();
                long dueAt = interval > 0 ? due : issued;
                CompletableFuture<Void> ack;
                try {
                    ack = session.appendAsync(names[thread + k * load.concurrency()], inject ? expected - 1 : expected, batch);
                } catch (RuntimeException e) {
                    ack = CompletableFuture.failedFuture(e);
                }
                ack.whenComplete((ok, failure) -> {
                    completed(dueAt, issued, inject, failure);
                    window.release();
                });
            }
            if (!window.tryAcquire(load.inFlight(), GRACE_SECONDS, TimeUnit.SECONDS)) { // every append of this thread acknowledged
                error(new IllegalStateException("appends of " + Thread.currentThread().getName() + " were not acknowledged "
                        + GRACE_SECONDS + " s after the measured window"));
            }
        } catch (RuntimeException e) {
            error(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Appends due in the measured window that a thread, behind its schedule, had not sent when the window closed. Each
     * counts in the latency with the time it had waited by the end of the window, a lower bound of its true latency:
     * leaving them out would flatter a system that cannot keep up (coordinated omission again).
     */
    private void unsent(long firstDue, long interval) {
        for (long due = firstDue; due < measureEnd; due += interval) {
            if (due >= measureStart) {
                unsent.increment();
                latency.recordValue(measureEnd - due);
            }
        }
    }

    private void completed(long due, long issued, boolean inject, Throwable failure) {
        long done = System.nanoTime();
        if (failure == null) {
            allEvents.add(load.batchSize());
        }
        if (done < measureStart || done > measureEnd) {
            return;
        }
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        if (inject) {
            injected.increment();
        }
        if (cause == null) {
            if (inject) {
                error(new IllegalStateException("an append with a stale expected version was accepted"));
                return;
            }
            appends.increment();
            events.add(load.batchSize());
            latency.recordValue(done - due);
            service.recordValue(done - issued);
        } else if (cause instanceof ExpectedVersionConflict && inject) {
            detected.increment();
        } else {
            error(cause);
        }
    }

    private void error(Throwable failure) {
        errors.increment();
        firstError.compareAndSet(null, failure.getClass().getSimpleName() + ": " + failure.getMessage());
    }

    private synchronized void sample() {
        latencyTotal.add(latency.getIntervalHistogram());
        serviceTotal.add(service.getIntervalHistogram());
    }

    private void report() {
        long now = System.nanoTime();
        sample();
        String phase = now < measureStart ? "warm-up" : "measure";
        double elapsed = (now - start) / 1e9;
        Histogram snapshot;
        synchronized (this) {
            snapshot = latencyTotal.copy();
        }
        progress.report(String.format(Locale.ROOT, "  [%s] %5.1f s %-7s %,12d events acked%s  p99 %s  errors %d", label, elapsed, phase,
                allEvents.sum(), now < measureStart ? "" : String.format(Locale.ROOT, " (%,.0f ev/s)", events.sum() / Math.max(1e-9, (now - measureStart) / 1e9)),
                snapshot.getTotalCount() == 0 ? "-" : String.format(Locale.ROOT, "%.2f ms", snapshot.getValueAtPercentile(99) / 1e6), errors.sum()));
    }

    private static void waitUntil(long due) {
        long now;
        while ((now = System.nanoTime()) < due) {
            LockSupport.parkNanos(due - now);
        }
    }

    private static void join(Thread thread, long millis) {
        try {
            thread.join(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for " + thread.getName(), e);
        }
    }
}
