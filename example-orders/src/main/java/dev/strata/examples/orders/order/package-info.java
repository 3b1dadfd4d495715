/**
 * The order service: an order's lifecycle (placed, then confirmed or cancelled) in stream {@code order-<orderId>}.
 * Its events are the shop's public ones: the relay publishes them.
 */
package dev.strata.examples.orders.order;
