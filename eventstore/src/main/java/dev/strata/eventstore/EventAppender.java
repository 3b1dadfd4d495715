package dev.strata.eventstore;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Appends events. An append is atomic (all its events are stored, or none), gets contiguous versions in its
 * stream and contiguous, dense global positions, and is acknowledged only once it is as durable as the
 * store's {@link Durability} says.
 *
 * <h2>Idempotence: the exact rule</h2>
 * Every event carries an id. Before any expected-version check, each event id of an append is looked up:
 * <ul>
 *   <li>None is stored: the append proceeds normally.</li>
 *   <li>The ids are exactly those of one earlier append to the same stream (same ids, same order, same
 *       count), with the same type, content type, metadata and data: the append is a retry. It returns the
 *       original {@link AppendResult} and writes nothing, even if its expected version is stale by now, and
 *       also after a restart (the ids are kept in the store's index, not in a time window).</li>
 *   <li>Anything else (an id stored in another stream, with other content, or as part of a different set of
 *       events): {@link DuplicateEventIdException}, and nothing is written.</li>
 * </ul>
 * A multi-stream append is a retry when every one of its parts is; a mix of new and stored parts fails.
 * Two events of one append must not share an id.
 *
 * <h2>Threads</h2>
 * All methods are thread-safe. Futures complete on the store's writer thread: chain heavy work with the
 * {@code ...Async} variants of {@link CompletableFuture}; appending from that thread fails fast.
 */
public interface EventAppender {

    /** Appends {@code events} to {@code stream} if its version matches {@code expectedVersion}; blocks until acknowledged. */
    AppendResult append(String stream, ExpectedVersion expectedVersion, List<EventData> events);

    default AppendResult append(String stream, ExpectedVersion expectedVersion, EventData... events) {
        return append(stream, expectedVersion, List.of(events));
    }

    /** As {@link #append}, without blocking: the future fails with the same exceptions. */
    CompletableFuture<AppendResult> appendAsync(String stream, ExpectedVersion expectedVersion, List<EventData> events);

    /**
     * Appends to several streams atomically: every request's expected version must match, then all events are
     * stored in one record, or none is. Results come in request order; a stream may appear only once.
     */
    List<AppendResult> appendAll(List<AppendRequest> requests);

    CompletableFuture<List<AppendResult>> appendAllAsync(List<AppendRequest> requests);
}
