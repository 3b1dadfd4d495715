/**
 * The write model: business rules as {@link dev.strata.eventstore.model.Decider}s (three pure functions:
 * {@code initialState}, {@code decide}, {@code evolve}), run against the event store by a
 * {@link dev.strata.eventstore.model.CommandHandler}, which loads a stream (hot cache, snapshot, events), decides,
 * appends with the exact expected version, retries on conflicts and returns the position a read side can wait for.
 *
 * <p>Events are records registered in {@link dev.strata.eventstore.model.EventTypes} with a type name and a schema
 * revision; {@link dev.strata.eventstore.model.Upcaster}s read older revisions. Snapshots
 * ({@link dev.strata.eventstore.model.SnapshotPolicy}) are stored in system streams and carry a fingerprint of the
 * model, so a changed model never loads a stale one. Test deciders with {@code dev.strata.eventstore.testing}.
 */
package dev.strata.eventstore.model;
