package dev.strata.eventstore;

/**
 * What an acknowledged append survives. The mode is chosen when the store is opened; the same files open
 * in either mode.
 */
public enum Durability {
    /**
     * Acknowledged once the record is on stable storage ({@code fdatasync} of the log file). Survives a
     * process crash, a kernel panic and a power loss. Concurrent appends share one sync (group commit).
     */
    FSYNC,
    /**
     * Acknowledged once the record is in the operating system's page cache. Survives a process crash
     * (kill -9, OOM kill), not a power loss or kernel crash; the store syncs in the background (see
     * {@link EventStoreBuilder#backgroundSyncInterval}) to bound what such a loss can take.
     */
    OS
}
