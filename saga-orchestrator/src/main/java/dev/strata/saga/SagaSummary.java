package dev.strata.saga;

import java.time.Instant;

/**
 * A saga instance as operators see it: the row of the saga view, and what {@code strata sagas list|show} prints.
 *
 * @param step         the step being run (or compensated, or stuck on); the last one run when finished
 * @param attempt      the try of that step (or compensation) in progress or last made
 * @param reason       why the saga is compensating, compensated or stuck; the last failure while running
 * @param version      the version of the last event of the saga's stream folded into this summary
 * @param lastPosition that event's global position (a consistency token: the view has seen the saga up to it)
 */
public record SagaSummary(String sagaType, String sagaId, String businessKey, SagaStatus status, String step, int attempt,
                          String reason, Instant startedAt, Instant updatedAt, long version, long lastPosition) {

    /** The saga's stream, {@code $saga-<type>-<id>}. */
    public String stream() {
        return SagaLog.streamName(sagaType, sagaId);
    }
}
