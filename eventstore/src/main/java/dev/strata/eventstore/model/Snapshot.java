package dev.strata.eventstore.model;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One stored snapshot (the JSON data of a snapshot event, see {@link SnapshotStore}).
 *
 * @param stream                  the stream it is a snapshot of
 * @param version                 the stream version it covers (the state after the event at that version)
 * @param fingerprint             the model it was taken with ({@link SnapshotPolicy#fingerprint()})
 * @param lastCommand             the causation id of the events that end at {@code version} (the command that wrote
 *                                them), or null; lets a retry of that command be recognised without re-reading
 * @param lastCommandFirstVersion the first version written by {@code lastCommand}
 * @param state                   the state, as JSON
 */
record Snapshot(String stream, long version, String fingerprint, String lastCommand, long lastCommandFirstVersion,
                JsonNode state) {
}
