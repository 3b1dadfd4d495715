package dev.strata.eventstore.model;

/**
 * A stream's state as the handler knows it: folded up to {@code version}. Immutable; what the hot cache holds.
 *
 * @param version                 the version of the last event folded ({@code NO_STREAM} if none)
 * @param state                   the folded state
 * @param snapshotVersion         the version covered by the newest usable snapshot ({@code NO_STREAM} if none)
 * @param lastCommand             the causation id of the events at the end of the stream (the command that wrote
 *                                them), or null
 * @param lastCommandFirstVersion the first of those events' versions
 */
record Aggregate<S>(long version, S state, long snapshotVersion, String lastCommand, long lastCommandFirstVersion) {
}
