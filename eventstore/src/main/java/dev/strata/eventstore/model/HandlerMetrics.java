package dev.strata.eventstore.model;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.TimeUnit;

/** The meters of one command handler, tagged {@code handler=<name>}; Prometheus names in the Javadoc of each. */
final class HandlerMetrics {

    /** {@code strata_commands_total{outcome}}: appended, unchanged, duplicate, rejected, conflict, failed. */
    private final Counter appended;
    private final Counter unchanged;
    private final Counter duplicate;
    private final Counter rejected;
    private final Counter conflict;
    private final Counter failed;
    /** {@code strata_command_conflicts_total}: version conflicts, each followed by a reload and a new decision. */
    private final Counter conflicts;
    /** {@code strata_command_cache_total{result}}: hot-cache hits and misses. */
    private final Counter cacheHits;
    private final Counter cacheMisses;
    /** {@code strata_command_cache_stale_total}: cached states found stale (refreshed before deciding again). */
    private final Counter cacheStale;
    /** {@code strata_snapshots_total{action}}: loaded, saved, ignored (other fingerprint or unreadable), failed (save). */
    private final Counter snapshotsLoaded;
    private final Counter snapshotsSaved;
    private final Counter snapshotsIgnored;
    private final Counter snapshotsFailed;
    /** {@code strata_command_duration_seconds}: from handle() to its return, rejections included. */
    private final Timer duration;

    HandlerMetrics(MeterRegistry registry, String handler) {
        appended = command(registry, handler, "appended");
        unchanged = command(registry, handler, "unchanged");
        duplicate = command(registry, handler, "duplicate");
        rejected = command(registry, handler, "rejected");
        conflict = command(registry, handler, "conflict");
        failed = command(registry, handler, "failed");
        conflicts = Counter.builder("strata.command.conflicts").tag("handler", handler)
                .description("Version conflicts met by commands (each is retried after a reload)").register(registry);
        cacheHits = Counter.builder("strata.command.cache").tag("handler", handler).tag("result", "hit")
                .description("Hot-cache lookups").register(registry);
        cacheMisses = Counter.builder("strata.command.cache").tag("handler", handler).tag("result", "miss")
                .description("Hot-cache lookups").register(registry);
        cacheStale = Counter.builder("strata.command.cache.stale").tag("handler", handler)
                .description("Cached states found stale and refreshed").register(registry);
        snapshotsLoaded = snapshot(registry, handler, "loaded");
        snapshotsSaved = snapshot(registry, handler, "saved");
        snapshotsIgnored = snapshot(registry, handler, "ignored");
        snapshotsFailed = snapshot(registry, handler, "failed");
        duration = Timer.builder("strata.command.duration").tag("handler", handler)
                .description("Time to handle a command").register(registry);
    }

    private static Counter command(MeterRegistry registry, String handler, String outcome) {
        return Counter.builder("strata.commands").tag("handler", handler).tag("outcome", outcome)
                .description("Commands handled, by outcome").register(registry);
    }

    private static Counter snapshot(MeterRegistry registry, String handler, String action) {
        return Counter.builder("strata.snapshots").tag("handler", handler).tag("action", action)
                .description("Snapshots loaded, saved, ignored or failed to save").register(registry);
    }

    void handled(CommandResult<?> result, long startedNanos) {
        (result.duplicate() ? duplicate : result.changed() ? appended : unchanged).increment();
        duration.record(System.nanoTime() - startedNanos, TimeUnit.NANOSECONDS);
    }

    void rejected(long startedNanos) {
        rejected.increment();
        duration.record(System.nanoTime() - startedNanos, TimeUnit.NANOSECONDS);
    }

    void gaveUp(long startedNanos) {
        conflict.increment();
        duration.record(System.nanoTime() - startedNanos, TimeUnit.NANOSECONDS);
    }

    void failed(long startedNanos) {
        failed.increment();
        duration.record(System.nanoTime() - startedNanos, TimeUnit.NANOSECONDS);
    }

    void conflict() {
        conflicts.increment();
    }

    void cacheHit() {
        cacheHits.increment();
    }

    void cacheMiss() {
        cacheMisses.increment();
    }

    void cacheStale() {
        cacheStale.increment();
    }

    void snapshotLoaded() {
        snapshotsLoaded.increment();
    }

    void snapshotSaved() {
        snapshotsSaved.increment();
    }

    void snapshotIgnored() {
        snapshotsIgnored.increment();
    }

    void snapshotFailed() {
        snapshotsFailed.increment();
    }
}
