package dev.strata.projections.internal;

import java.util.Set;

/**
 * One partition of one generation, as written by one thread at a time (a projector of the live ring, or of a ring
 * that catches up). It is handed between threads only through a ring slot, which orders the hand-over.
 *
 * <p>{@code checkpoint} runs ahead of the generation's committed checkpoint by what the owner's open batch holds.
 */
final class Target {

    final ProjectionRuntime runtime;
    final Generation generation;
    final int partition;
    final byte[] checkpointKey;
    final Set<String> parkedKeys;
    /** Applied with side effects suppressed (a generation being built). */
    volatile boolean replaying;
    /** Last position applied by the owner, committed or not. */
    long checkpoint;
    /** Events after this position are not applied (an offline verification compares at the old checkpoint). */
    long limit = Long.MAX_VALUE;
    /** Set when the target stopped on a poison event: it applies nothing until resumed. */
    volatile boolean stopped;
    long pendingParked;
    long pendingEvents;

    Target(ProjectionRuntime runtime, Generation generation, int partition, boolean replaying, Set<String> parkedKeys) {
        this.runtime = runtime;
        this.generation = generation;
        this.partition = partition;
        this.replaying = replaying;
        this.parkedKeys = parkedKeys;
        this.checkpoint = generation.checkpoint(partition);
        this.checkpointKey = MetaKeys.checkpoint(runtime.name(), generation.number(), partition);
    }

    @Override
    public String toString() {
        return generation + " partition " + partition + " at " + checkpoint + (replaying ? " (replaying)" : "");
    }
}
