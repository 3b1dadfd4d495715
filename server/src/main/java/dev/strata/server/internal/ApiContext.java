package dev.strata.server.internal;

import dev.strata.eventstore.Durability;
import dev.strata.eventstore.EventStore;
import dev.strata.eventstore.cloudevents.CloudEventJson;
import dev.strata.server.AccessTokens;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * What the endpoints share: the store, the JSON format, the limits, the meters, the pool that runs work which may
 * block (reads, writing answers to acknowledged appends), and the optional access tokens and rate limit.
 *
 * @param tokens  null when auth is off
 * @param buckets null when there is no rate limit
 * @param scrape  the Prometheus text of every meter, for {@code /metrics}
 */
public record ApiContext(EventStore store, Durability durability, CloudEventJson json, Limits limits, HttpMetrics metrics,
                         Executor executor, AccessTokens tokens, TokenBuckets buckets, Supplier<String> scrape) {
}
