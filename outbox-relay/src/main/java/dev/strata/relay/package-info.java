/**
 * The outbox relay: publishes the event log (or a PostgreSQL outbox table) as CloudEvents, at least once and in order
 * per stream, and the consumer-side pieces that go with it.
 *
 * <pre>
 *  EventStore ──subscribeToAll──► OutboxRelay ──filter, map──► EventSink ──► Kafka (KafkaSink) / webhook (HttpSink)
 *      │                            │  checkpoint file (moves after the sink acknowledged)
 *      └◄── $relay-deadletter-&lt;name&gt; ◄┘  (unmappable or refused events)
 *
 *  PostgreSQL: business tx + JdbcOutbox.append ──► strata_outbox ──► JdbcOutboxRelay (n instances) ──► EventSink
 *
 *  Kafka ──► KafkaEventSource (checkpoint per partition) ──► StoreReplica ──► replica store ──► projection pipeline
 *                                                        └─► your handler ──► Inbox (dedup by source + id)
 * </pre>
 *
 * <p>Retries, backoff with jitter, the circuit breaker and the checkpoint file live in
 * {@code dev.strata.relay.internal}, which is not public API.
 */
package dev.strata.relay;
