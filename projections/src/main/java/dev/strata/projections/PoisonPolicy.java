package dev.strata.projections;

/** What a projection does with an event its handler throws on. Either way nothing is skipped silently. */
public enum PoisonPolicy {
    /**
     * The projection (the partition the event belongs to) stops before the event, reports it in
     * {@link ProjectionStatus#failure()} and in the log, and waits for {@link ProjectionPipeline#resume}. The default.
     */
    STOP,
    /**
     * The event, and every later event with the same key ({@link Projection#keyOf}), is parked: recorded with the
     * error, not applied; the projection goes on with other keys. Parked events are listed with
     * {@link ProjectionPipeline#parked} and applied in order with {@link ProjectionPipeline#retryParked}.
     */
    PARK
}
