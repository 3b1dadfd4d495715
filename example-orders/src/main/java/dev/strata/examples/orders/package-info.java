/**
 * The worked example, end to end: a shop whose customers order a widget. Four services keep their own state in their
 * own streams of one event store ({@code order}, {@code inventory}, {@code payment}, {@code shipping}: one sub-package
 * each, with its commands, events and decider); the {@link dev.strata.examples.orders.PlaceOrderSaga} coordinates them
 * (place, reserve, charge, ship, confirm; compensations release the stock and cancel the order); read models
 * ({@code readmodel}) join their events into an order list, stock levels and counts; a relay publishes the order events
 * as CloudEvents. {@link dev.strata.examples.orders.OrderSystem} wires it all on one store folder.
 *
 * <pre>
 *  OrderRequest ──► OrderSystem.placeOrder ──► saga place_order ($saga-place_order-&lt;id&gt;)
 *                                                 │ place     ─► OrderService     ─► order-&lt;id&gt;
 *                                                 │ reserve   ─► InventoryService ─► stock-&lt;sku&gt;
 *                                                 │ charge    ─► payment.commands ─► PaymentService ─► payment-&lt;id&gt;, payment.replies
 *                                                 │ ship      ─► ShippingService  ─► shipment-&lt;id&gt;
 *                                                 │ confirm   ─► OrderService     ─► order-&lt;id&gt;
 *  the log ──► projections: order-list, stock-levels, order-counts      the log ──► relay ──► Kafka topic "order"
 * </pre>
 *
 * {@code strata demo} ({@code demo}) runs it; {@code http} is its small HTTP API.
 */
package dev.strata.examples.orders;
