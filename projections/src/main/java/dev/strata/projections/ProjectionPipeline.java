package dev.strata.projections;

import dev.strata.eventstore.EventStore;
import java.time.Duration;
import java.util.List;

/**
 * Runs a set of projections over an event store: a tailer follows the global log and publishes each event, decoded
 * once, into a Disruptor ring; one projector per projection (or per key partition) applies it and commits its rows
 * and its checkpoint in one RocksDB write batch at the end of each ring batch. After a crash each projection goes
 * on from its own checkpoint: no event is applied twice or skipped.
 *
 * <p>Life cycle: {@link ProjectionPipelineBuilder#open()} opens the read models (queries, status, parked events,
 * offline {@link #replay} work then); {@link #start()} starts following the log; {@link #close()} stops following,
 * lets every projector commit what it applied, and closes the read models. Close the pipeline before the store.
 *
 * <p>Thread-safe.
 */
public interface ProjectionPipeline extends AutoCloseable {

    static ProjectionPipelineBuilder builder(EventStore store) {
        return new ProjectionPipelineBuilder(store);
    }

    /** Starts following the log from each projection's checkpoint. */
    void start();

    boolean isRunning();

    /** The read model of a registered projection. */
    <K, V> ReadModel<K, V> readModel(Projection<K, V> projection);

    /**
     * Waits until {@code projection} has applied every event up to {@code position} (the position an append
     * returned): read-your-writes.
     *
     * @throws ProjectionTimeoutException if it did not get there within {@code timeout}
     * @throws ProjectionStoppedException if it stopped on a poison event before {@code position}
     */
    void awaitPosition(String projection, long position, Duration timeout);

    ProjectionStatus status(String projection);

    /** Every projection's status, in registration order. */
    List<ProjectionStatus> status();

    /** Parked events of the serving generation, in key then position order, at most {@code limit}. */
    List<ParkedEvent> parked(String projection, int limit);

    /** Applies the parked events of every key again, in order per key; a key whose event fails again stays parked. */
    RetryResult retryParked(String projection);

    /** Applies the parked events of one key again, in order. */
    RetryResult retryParked(String projection, String key);

    /**
     * Restarts the partitions of {@code projection} that stopped on a poison event, from the event they stopped on
     * (fix the cause first: a handler that still throws stops again). They catch up from the log on their own thread,
     * then rejoin the pipeline.
     */
    void resume(String projection);

    /** Starts a rebuild of {@code projection} into a new generation, or returns the one in progress. */
    Rebuild rebuild(String projection);

    /**
     * Rebuilds a projection offline, in the calling thread's time: the pipeline must be open and not started. Builds
     * the generation from the log up to the head with side effects suppressed, optionally verifies it, and switches
     * it in.
     *
     * @throws ProjectionStoppedException if the handler throws under {@link PoisonPolicy#STOP}; the partial
     *                                    generation stays, and replaying the same generation again goes on from it
     */
    ReplayResult replay(ReplayRequest request, ReplayListener listener);

    @Override
    void close();
}
