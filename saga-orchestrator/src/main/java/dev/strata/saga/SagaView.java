package dev.strata.saga;

import dev.strata.eventstore.EventStore;
import dev.strata.saga.internal.RocksDbSagaView;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The saga read model: one {@link SagaSummary} per saga instance, searchable by id, type, status and business key.
 * It follows the {@code $saga} category of the store (every saga stream) and keeps its rows and its checkpoint in
 * RocksDB, written together in one batch per event, so after a crash it resumes where its last batch ended and never
 * applies an event twice. Delete its folder to rebuild it from the log.
 *
 * <p>Built on a category subscription behind this small interface so that it can move onto the projections module
 * unchanged for its callers.
 */
public interface SagaView extends AutoCloseable {

    /** Opens (or creates) the view in {@code directory} and starts following the store from its checkpoint. */
    static SagaView open(EventStore store, Path directory) {
        return RocksDbSagaView.open(store, directory);
    }

    Optional<SagaSummary> find(String sagaType, String sagaId);

    List<SagaSummary> search(SagaQuery query);

    /** The global position of the last saga event applied, or -1 if none. */
    long checkpoint();

    /** Waits until the view has applied the saga event at {@code position} (read-your-writes); false on timeout. */
    boolean awaitPosition(long position, Duration timeout);

    /** Waits until the view has applied every saga event stored when it was opened; false on timeout. */
    boolean awaitCaughtUp(Duration timeout);

    @Override
    void close();
}
