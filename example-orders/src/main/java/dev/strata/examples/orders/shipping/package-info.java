/** The shipping service: each order's shipment (booked, cancelled) in stream {@code shipment-<orderId>}. */
package dev.strata.examples.orders.shipping;
