/**
 * The payment service: each order's payment in stream {@code payment-<orderId>}, reached by messages through the store
 * ({@code payment.commands} in, {@code payment.replies} out) rather than by calls. Charges an order at most once.
 */
package dev.strata.examples.orders.payment;
