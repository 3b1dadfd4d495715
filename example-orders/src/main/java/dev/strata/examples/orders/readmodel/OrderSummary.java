package dev.strata.examples.orders.readmodel;

import dev.strata.examples.orders.order.OrderStatus;
import java.time.Instant;

/**
 * A row of the order list: the order, its status as the order service sees it, and how far each service got with it,
 * gathered from the events of all four services.
 *
 * @param stock    {@code reserved}, {@code out of stock}, {@code released}, or null before the inventory answered
 * @param payment  {@code captured}, {@code declined}, {@code refunded}, or null before the payment service answered
 * @param shipment the shipment id once scheduled, {@code cancelled} after a cancellation, or null
 * @param reason   why the order was cancelled, or null
 * @param position the position of the last event that changed this row
 */
public record OrderSummary(String orderId, String customer, String sku, int quantity, long totalCents, OrderStatus status,
                           String stock, String payment, String shipment, String reason, Instant placedAt, Instant updatedAt,
                           long position) {

    OrderSummary withStock(String newStock, Instant at, long atPosition) {
        return new OrderSummary(orderId, customer, sku, quantity, totalCents, status, newStock, payment, shipment, reason,
                placedAt, at, atPosition);
    }

    OrderSummary withPayment(String newPayment, Instant at, long atPosition) {
        return new OrderSummary(orderId, customer, sku, quantity, totalCents, status, stock, newPayment, shipment, reason,
                placedAt, at, atPosition);
    }

    OrderSummary withShipment(String newShipment, Instant at, long atPosition) {
        return new OrderSummary(orderId, customer, sku, quantity, totalCents, status, stock, payment, newShipment, reason,
                placedAt, at, atPosition);
    }

    OrderSummary withStatus(OrderStatus newStatus, String newReason, Instant at, long atPosition) {
        return new OrderSummary(orderId, customer, sku, quantity, totalCents, newStatus, stock, payment, shipment, newReason,
                placedAt, at, atPosition);
    }
}
