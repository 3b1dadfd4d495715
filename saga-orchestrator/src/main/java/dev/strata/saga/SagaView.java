package dev.strata.saga;

import dev.strata.eventstore.EventStore;
import dev.strata.saga.internal.ProjectedSagaView;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The saga read model: one {@link SagaSummary} per saga instance, searchable by id, type, status and business key.
 * It is {@link SagaProjection} run by a projection pipeline of its own whose RocksDB folder is the view's folder:
 * rows and checkpoint commit together, so after a crash it resumes where its last batch ended and never applies an
 * event twice. Delete the folder to rebuild it from the log.
 */
public interface SagaView extends AutoCloseable {

    /** Opens (or creates) the view in {@code directory} and starts following the store from its checkpoint. */
    static SagaView open(EventStore store, Path directory) {
        return open(store, directory, Metrics.globalRegistry);
    }

    /** As {@link #open(EventStore, Path)}, with the pipeline's meters in {@code meters}. */
    static SagaView open(EventStore store, Path directory, MeterRegistry meters) {
        return ProjectedSagaView.open(store, directory, meters);
    }

    Optional<SagaSummary> find(String sagaType, String sagaId);

    List<SagaSummary> search(SagaQuery query);

    /** The global position up to which the view has applied every event, or -1 before the first. */
    long checkpoint();

    /** Waits until the view has applied every event up to {@code position} (read-your-writes); false on timeout. */
    boolean awaitPosition(long position, Duration timeout);

    /** Waits until the view has applied every saga event stored when it was opened; false on timeout. */
    boolean awaitCaughtUp(Duration timeout);

    @Override
    void close();
}
