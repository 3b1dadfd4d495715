package dev.strata.relay;

import dev.strata.eventstore.AppendResult;
import dev.strata.eventstore.EventAppender;
import dev.strata.eventstore.EventStore;
import dev.strata.eventstore.ExpectedVersion;
import dev.strata.eventstore.RecordedEvent;
import dev.strata.eventstore.StreamNames;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Feeds a read side on another machine: appends what a {@link KafkaEventSource} receives to a local store, the
 * replica, which the projection pipeline (or anything else that follows a store) then reads as if the events had been
 * written there: read models scale out over Kafka with the same projections, checkpoints, rebuilds and replays.
 *
 * <p>Each event keeps its id, type, content type, data and metadata (with the origin's {@code source}) and is appended
 * on its own, in the order received, so a re-delivered event is an idempotent retry of its first append: the store
 * returns the original result and writes nothing. That is the dedup, durable across restarts. Per stream the replica
 * has the origin's order; its versions equal the origin's unless the origin's relay dead-lettered an event (logged).
 * Global positions are the replica's own: streams in different partitions interleave in arrival order.
 */
public final class StoreReplica implements ReceivedEventHandler {

    private static final Logger LOG = LoggerFactory.getLogger(StoreReplica.class);

    private final EventStore replica;

    public StoreReplica(EventStore replica) {
        this.replica = replica;
    }

    /** Appends the events (one append each, pipelined) and returns when the replica has acknowledged them all. */
    @Override
    public void handle(List<ReceivedEvent> events) {
        List<CompletableFuture<AppendResult>> appends = new ArrayList<>(events.size());
        for (ReceivedEvent received : events) {
            RecordedEvent event = received.event();
            EventAppender appender = event.stream().startsWith(StreamNames.SYSTEM_PREFIX) ? replica.systemAppender() : replica;
            appends.add(appender.appendAsync(event.stream(), ExpectedVersion.any(), List.of(event.toEventData())));
        }
        for (int i = 0; i < appends.size(); i++) {
            AppendResult result;
            try {
                result = appends.get(i).join();
            } catch (CompletionException e) {
                throw e.getCause() instanceof RuntimeException runtime ? runtime : e;
            }
            RecordedEvent event = events.get(i).event();
            if (result.lastVersion() != event.version()) {
                LOG.warn("replica {}: {} got version {} here, {} at the origin (an event dead-lettered by the origin's relay?)",
                        replica.name(), event.stream(), result.lastVersion(), event.version());
            }
        }
    }
}
