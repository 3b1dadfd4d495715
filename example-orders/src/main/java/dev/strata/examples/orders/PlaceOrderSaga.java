package dev.strata.examples.orders;

import dev.strata.eventstore.EventReader;
import dev.strata.eventstore.RecordedEvent;
import dev.strata.examples.orders.inventory.InventoryService;
import dev.strata.examples.orders.inventory.StockEvent;
import dev.strata.examples.orders.order.OrderCommand;
import dev.strata.examples.orders.order.OrderService;
import dev.strata.examples.orders.payment.PaymentCommand.ChargeCard;
import dev.strata.examples.orders.payment.PaymentCommand.RefundPayment;
import dev.strata.examples.orders.payment.PaymentService;
import dev.strata.examples.orders.shipping.ShippingService;
import dev.strata.saga.ParticipantCommand;
import dev.strata.saga.PermanentFailure;
import dev.strata.saga.SagaDefinition;
import dev.strata.saga.SagaLog;
import dev.strata.saga.SagaEvent;
import dev.strata.saga.StepContext;
import java.time.Duration;

/**
 * The saga that places an order: place it, reserve the stock, charge the card, schedule the shipment, confirm it.
 * When a step fails for good (out of stock, card declined), the steps already done are compensated in reverse
 * order: the shipment cancelled, the card refunded, the stock released, the order cancelled. Compensations are not
 * rollbacks: the widget really was held, and the log says so.
 *
 * <p>The saga id is the order id. Steps reach the services as local calls, except the payment, which is a message
 * through the store ({@code payment.commands} / {@code payment.replies}). Every step runs with an idempotency key that
 * the services turn into their command id ({@link StepCommands}), so a step invoked again after a crash is applied once.
 */
public final class PlaceOrderSaga {

    /** The saga type. No {@code -} allowed: the saga's stream is {@code $saga-place_order-<orderId>}. */
    public static final String TYPE = "place_order";

    private PlaceOrderSaga() {
    }

    /** The saga's state: the order as requested and priced, then what the steps learned. */
    public record State(String orderId, String customer, String sku, int quantity, long unitPriceCents, String card,
                        String shipmentId) {

        public static State of(OrderRequest request) {
            return new State(request.orderId(), request.customer(), request.sku(), request.quantity(),
                    request.unitPriceCents(), request.card(), null);
        }

        public long totalCents() {
            return unitPriceCents * quantity;
        }

        State shipped(String shipment) {
            return new State(orderId, customer, sku, quantity, unitPriceCents, card, shipment);
        }

        OrderRequest request() {
            return new OrderRequest(orderId, customer, sku, quantity, card);
        }
    }

    public static SagaDefinition<State> definition(OrderService orders, InventoryService inventory, ShippingService shipping,
                                                   EventReader sagaLog) {
        return SagaDefinition.builder(TYPE, State.class)
                .businessKey(State::customer)
                .step("place", step -> step.participant("order")
                        .action(ctx -> {
                            State order = ctx.state();
                            orders.place(ctx.idempotencyKey(), new OrderCommand.PlaceOrder(order.orderId(), order.customer(),
                                    order.sku(), order.quantity(), order.unitPriceCents()));
                            return order;
                        })
                        .compensation(ctx -> orders.cancel(ctx.idempotencyKey(), ctx.state().orderId(), whyCompensating(sagaLog, ctx))))
                .step("reserve", step -> step.participant("inventory")
                        .action(ctx -> {
                            State order = ctx.state();
                            StockEvent outcome = inventory.reserve(ctx.idempotencyKey(), order.orderId(), order.sku(), order.quantity());
                            if (outcome instanceof StockEvent.StockReservationFailed failed) {
                                throw new PermanentFailure("out of stock: " + failed.available() + " " + order.sku() + " available, "
                                        + order.quantity() + " ordered");
                            }
                            return order;
                        })
                        .compensation(ctx -> inventory.release(ctx.idempotencyKey(), ctx.state().orderId(), ctx.state().sku(),
                                ctx.state().quantity())))
                .step("charge", step -> step.participant(PaymentService.PARTICIPANT)
                        .command(ctx -> ParticipantCommand.of("ChargeCard",
                                new ChargeCard(ctx.state().orderId(), ctx.state().totalCents(), ctx.state().card())))
                        .compensationCommand(ctx -> ParticipantCommand.of("RefundPayment", new RefundPayment(ctx.state().orderId())))
                        .timeout(Duration.ofSeconds(10)))
                .step("ship", step -> step.participant("shipping")
                        .action(ctx -> ctx.state().shipped(shipping.schedule(ctx.idempotencyKey(), ctx.state().orderId(),
                                ctx.state().sku(), ctx.state().quantity())))
                        .compensation(ctx -> shipping.cancel(ctx.idempotencyKey(), ctx.state().orderId())))
                .step("confirm", step -> step.participant("order")
                        .action(ctx -> {
                            orders.confirm(ctx.idempotencyKey(), ctx.state().orderId(), ctx.state().shipmentId());
                            return ctx.state();
                        }))
                .build();
    }

    /** Why the saga is compensating, in the failed participant's words ("card declined"), as the saga's log recorded it. */
    private static String whyCompensating(EventReader sagaLog, StepContext<State> ctx) {
        String reason = "compensated";
        for (RecordedEvent event : SagaLog.read(sagaLog, ctx.sagaType(), ctx.sagaId())) {
            if (SagaLog.decode(event) instanceof SagaEvent.StepFailed failed && failed.retryAt() == null) {
                reason = failed.reason(); // the step that failed for good
            }
        }
        // The log says "step 'charge' failed (PERMANENT, try 1): card declined"; the order keeps the participant's words.
        int words = reason.indexOf("): ");
        return words >= 0 ? reason.substring(words + 3) : reason;
    }
}
