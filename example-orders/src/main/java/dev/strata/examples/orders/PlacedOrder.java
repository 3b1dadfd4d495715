package dev.strata.examples.orders;

import dev.strata.saga.SagaSummary;
import java.util.concurrent.CompletableFuture;

/**
 * An order the shop accepted: its saga is durable and running (or, for a retried request, was started before).
 *
 * @param duplicate true if a request with this order id had been placed before: nothing new was started
 * @param position  a position the read models can be asked to reach ({@code ?min-position=}): the saga's start, or
 *                  for a duplicate the last transition of its saga
 * @param outcome   completes when the saga is COMPLETED (the order confirmed) or COMPENSATED (cancelled)
 */
public record PlacedOrder(String orderId, boolean duplicate, long position, CompletableFuture<SagaSummary> outcome) {
}
