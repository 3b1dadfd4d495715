package dev.strata.saga.internal;

import dev.strata.eventstore.EventStore;
import dev.strata.eventstore.RecordedEvent;
import dev.strata.projections.ProjectionException;
import dev.strata.projections.ProjectionPipeline;
import dev.strata.projections.ProjectionTimeoutException;
import dev.strata.projections.ReadModel;
import dev.strata.projections.Row;
import dev.strata.saga.SagaException;
import dev.strata.saga.SagaLog;
import dev.strata.saga.SagaProjection;
import dev.strata.saga.SagaQuery;
import dev.strata.saga.SagaSummary;
import dev.strata.saga.SagaValidationException;
import dev.strata.saga.SagaView;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The saga view: {@link SagaProjection} in a projection pipeline of its own (its RocksDB folder is the view folder),
 * so rows and checkpoint commit together per batch, and a changed fold is rebuilt from the log while the old view
 * serves.
 */
public final class ProjectedSagaView implements SagaView {

    private static final int PAGE = 512;

    private final EventStore store;
    private final ProjectionPipeline pipeline;
    private final SagaProjection projection = new SagaProjection();
    private final ReadModel<String, SagaSummary> model;
    private final long headAtOpen;

    private ProjectedSagaView(EventStore store, Path directory, MeterRegistry meters) {
        this.store = store;
        this.headAtOpen = store.headPosition();
        // the projection decodes saga events itself and skips the rest: the pipeline need not decode anything
        ProjectionPipeline opened = ProjectionPipeline.builder(store).directory(directory).add(projection)
                .decoder(RecordedEvent::data).meterRegistry(meters).open();
        try {
            opened.start();
        } catch (RuntimeException e) {
            opened.close();
            throw e;
        }
        this.pipeline = opened;
        this.model = pipeline.readModel(projection);
    }

    public static ProjectedSagaView open(EventStore store, Path directory, MeterRegistry meters) {
        return new ProjectedSagaView(store, directory, meters);
    }

    @Override
    public Optional<SagaSummary> find(String sagaType, String sagaId) {
        return model.get(SagaProjection.rowKey(SagaLog.streamName(sagaType, sagaId)));
    }

    @Override
    public List<SagaSummary> search(SagaQuery query) {
        if (query == null) {
            throw new SagaValidationException("query", null, "must not be null");
        }
        String prefix = SagaProjection.prefixFor(query);
        // prefixes end with \0: the same prefix ending with \1 bounds the range
        String end = prefix.substring(0, prefix.length() - 1) + "\u0001";
        String from = prefix;
        List<SagaSummary> found = new ArrayList<>();
        while (found.size() < query.limit()) {
            List<Row<String, SagaSummary>> page = model.scanRange(from, end, PAGE);
            for (Row<String, SagaSummary> row : page) {
                if (query.matches(row.value()) && found.size() < query.limit()) {
                    found.add(row.value());
                }
            }
            if (page.size() < PAGE) {
                break;
            }
            from = page.get(page.size() - 1).key() + "\0"; // the smallest key after the last one read
        }
        return found;
    }

    @Override
    public long checkpoint() {
        return model.position();
    }

    @Override
    public boolean awaitPosition(long position, Duration timeout) {
        if (position < 0) {
            return true;
        }
        try {
            pipeline.awaitPosition(SagaProjection.NAME, position, timeout);
            return true;
        } catch (ProjectionTimeoutException e) {
            return false;
        } catch (ProjectionException e) {
            throw new ViewStoppedException("the saga view stopped: " + e.getMessage(), e);
        }
    }

    @Override
    public boolean awaitCaughtUp(Duration timeout) {
        return awaitPosition(headAtOpen, timeout);
    }

    @Override
    public void close() {
        pipeline.close();
    }

    /** The view's projection stopped (a saga event it could not fold): visible, never skipped. */
    static final class ViewStoppedException extends SagaException {
        ViewStoppedException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
