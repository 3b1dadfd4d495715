/**
 * The relay's machinery, not public API: the retry loop ({@link dev.strata.relay.internal.Publisher}), backoff with
 * jitter, the circuit breaker, the durable checkpoint file, the meters, dead letters, and the CloudEvent-to-event
 * reader of the Kafka source.
 */
package dev.strata.relay.internal;
