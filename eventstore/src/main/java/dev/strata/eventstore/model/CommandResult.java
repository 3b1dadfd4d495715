package dev.strata.eventstore.model;

import dev.strata.eventstore.StreamVersions;
import java.util.List;

/**
 * What a handled command did.
 *
 * @param stream    the command's stream
 * @param events    the events it appended (empty if the decider decided nothing changes)
 * @param version   the stream's version after them (if nothing changed: the version the decision saw,
 *                  {@link StreamVersions#NO_STREAM} for a stream that does not exist)
 * @param position  the global position of the last event appended: the consistency token a read side can wait for
 *                  (e.g. {@code awaitPosition}); {@link StreamVersions#NO_POSITION} if nothing was appended
 * @param duplicate true if the command had been handled before (same command id) and this is that first outcome:
 *                  nothing was appended this time
 */
public record CommandResult<E>(String stream, List<E> events, long version, long position, boolean duplicate) {

    public CommandResult {
        events = List.copyOf(events);
    }

    /** Whether the command appended events (now or, for a {@link #duplicate}, the first time). */
    public boolean changed() {
        return !events.isEmpty();
    }
}
