package dev.strata.saga;

import java.util.concurrent.CompletableFuture;

/**
 * A saga this orchestrator started (or retried): its identity and two futures. {@link #started()} completes once
 * the saga's start is durable in its stream (or fails, e.g. with {@link SagaStateException} if the id is taken);
 * {@link #finished()} completes with the saga's summary when it is completed, compensated or stuck, or fails if this
 * orchestrator stops driving it (closed, or another orchestrator advanced it first).
 */
public record SagaHandle(String sagaType, String sagaId, CompletableFuture<SagaSummary> started,
                         CompletableFuture<SagaSummary> finished) {

    public String stream() {
        return SagaLog.streamName(sagaType, sagaId);
    }
}
