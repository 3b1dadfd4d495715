/**
 * The read side of Strata: projections that turn the event log into RocksDB read models.
 *
 * <pre>
 *  EventStore ──subscribeToAll──► tailer (decodes each event once)
 *                                    │ publishes
 *                                    ▼
 *                         Disruptor ring (slots: events and control commands)
 *                          │             │              │
 *                    projector      projector      projector         one per projection (or per key partition)
 *                    orders#0       orders#1       stock#0
 *                          │             │              │
 *                          └── WriteBatch: rows + checkpoint, committed at the end of each ring batch ──► RocksDB
 * </pre>
 *
 * <p>A {@link dev.strata.projections.Projection} names a read model, its key and value codecs and the handler that
 * turns an event into writes. A {@link dev.strata.projections.ProjectionPipeline} runs a set of projections over an
 * {@link dev.strata.eventstore.EventStore}; each projector commits its rows <em>and</em> its checkpoint in one RocksDB
 * write batch, so a crash never applies an event twice or skips one. Queries go through
 * {@link dev.strata.projections.ReadModel}, optionally waiting for a position (read-your-writes). A projection is
 * rebuilt into a new generation while the old one keeps answering, compared with it, and switched atomically.
 *
 * <p>What is not public API lives in {@code dev.strata.projections.internal}.
 */
package dev.strata.projections;
