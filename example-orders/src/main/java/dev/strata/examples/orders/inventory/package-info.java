/**
 * The inventory service: each product's stock (available, reserved) in stream {@code stock-<sku>}. Reservations never
 * fail by exception: a reservation the stock cannot cover is recorded as a fact, so a retried one finds its first
 * outcome.
 */
package dev.strata.examples.orders.inventory;
