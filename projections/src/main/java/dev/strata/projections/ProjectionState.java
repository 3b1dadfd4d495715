package dev.strata.projections;

/** Where a projection stands. */
public enum ProjectionState {
    /** The pipeline is not running (opened for offline work, or closed). */
    IDLE,
    /** Applying events. */
    RUNNING,
    /** At least one partition stopped on a poison event; see {@link ProjectionStatus#failure()}. */
    STOPPED
}
