package dev.strata.examples.orders.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.strata.eventstore.RecordedEvent;
import dev.strata.examples.orders.Catalog;
import dev.strata.examples.orders.inventory.StockEvent;
import dev.strata.examples.orders.order.OrderEvent;
import dev.strata.examples.orders.payment.PaymentEvent;
import dev.strata.examples.orders.payment.PaymentService;
import dev.strata.examples.orders.shipping.ShipmentEvent;
import dev.strata.saga.SagaEvent;
import dev.strata.saga.SagaLog;
import dev.strata.saga.SagaMessages;
import java.io.IOException;

/** One line of plain words for an event of the example: a service's fact, a saga transition, or a payment message. */
final class EventText {

    private static final ObjectMapper JSON = new ObjectMapper();

    private EventText() {
    }

    static String describe(RecordedEvent event) {
        try {
            if (event.stream().startsWith(SagaLog.CATEGORY + "-")) {
                return saga(SagaLog.decode(event));
            }
            if (event.stream().equals(SagaMessages.commandStream(PaymentService.PARTICIPANT))) {
                return paymentCommand(event);
            }
            if (event.stream().equals(SagaMessages.replyStream(PaymentService.PARTICIPANT))) {
                return paymentReply(event);
            }
            return switch (event.category()) {
                case "order" -> order(OrderEvent.TYPES.decode(event).get(0));
                case "stock" -> stock(StockEvent.TYPES.decode(event).get(0));
                case "payment" -> payment(PaymentEvent.TYPES.decode(event).get(0));
                case "shipment" -> shipment(ShipmentEvent.TYPES.decode(event).get(0));
                default -> event.dataAsString();
            };
        } catch (RuntimeException | IOException e) {
            return event.dataAsString();
        }
    }

    private static String saga(SagaEvent event) {
        if (event instanceof SagaEvent.SagaStarted started) {
            return "steps " + String.join(" > ", started.steps());
        }
        if (event instanceof SagaEvent.StepStarted started) {
            return started.step() + (started.attempt() > 1 ? ", try " + started.attempt() : "");
        }
        if (event instanceof SagaEvent.StepSucceeded succeeded) {
            return succeeded.step();
        }
        if (event instanceof SagaEvent.StepFailed failed) {
            return failed.step() + ": " + words(failed.reason()) + " (" + failed.kind() + (failed.retryAt() == null ? ", for good)" : ", will retry)");
        }
        if (event instanceof SagaEvent.SagaCompensating compensating) {
            return "undo " + String.join(", then ", compensating.plan());
        }
        if (event instanceof SagaEvent.CompensationStarted started) {
            return "undo " + started.step() + (started.attempt() > 1 ? ", try " + started.attempt() : "");
        }
        if (event instanceof SagaEvent.CompensationSucceeded succeeded) {
            return "undo " + succeeded.step();
        }
        if (event instanceof SagaEvent.CompensationFailed failed) {
            return "undo " + failed.step() + ": " + words(failed.reason());
        }
        if (event instanceof SagaEvent.SagaCompensated compensated) {
            return words(compensated.reason());
        }
        if (event instanceof SagaEvent.SagaStuck stuck) {
            return "at the undo of " + stuck.step() + ": " + stuck.reason();
        }
        if (event instanceof SagaEvent.SagaRetried retried) {
            return retried.reason();
        }
        return "every step done"; // SagaCompleted
    }

    /** "step 'charge' failed (PERMANENT, try 1): card declined" in the participant's words: "card declined". */
    private static String words(String reason) {
        int words = reason == null ? -1 : reason.indexOf("): ");
        return words < 0 ? String.valueOf(reason) : reason.substring(words + 3);
    }

    private static String paymentCommand(RecordedEvent event) throws IOException {
        JsonNode data = JSON.readTree(event.data());
        if (event.type().equals("ChargeCard")) {
            return "message: charge " + Catalog.dollars(data.path("amountCents").asLong()) + " on " + data.path("card").asText();
        }
        return "message: refund order " + data.path("orderId").asText();
    }

    private static String paymentReply(RecordedEvent event) throws IOException {
        String outcome = event.metadata().get(SagaMessages.OUTCOME).orElse("?");
        JsonNode data = JSON.readTree(event.data());
        String reason = data.path("reason").asText("");
        return "reply: " + outcome + (reason.isEmpty() ? "" : ", " + reason);
    }

    private static String order(OrderEvent event) {
        if (event instanceof OrderEvent.OrderPlaced placed) {
            return placed.customer() + ": " + placed.quantity() + " x " + placed.sku() + ", " + Catalog.dollars(placed.totalCents());
        }
        if (event instanceof OrderEvent.OrderConfirmed confirmed) {
            return "shipment " + confirmed.shipmentId();
        }
        return ((OrderEvent.OrderCancelled) event).reason();
    }

    private static String stock(StockEvent event) {
        if (event instanceof StockEvent.StockAdded added) {
            return "+" + added.quantity();
        }
        if (event instanceof StockEvent.StockReserved reserved) {
            return reserved.quantity() + " held for order " + reserved.orderId();
        }
        if (event instanceof StockEvent.StockReservationFailed failed) {
            return failed.quantity() + " wanted, " + failed.available() + " available";
        }
        StockEvent.StockReleased released = (StockEvent.StockReleased) event;
        return released.quantity() + " back from order " + released.orderId();
    }

    private static String payment(PaymentEvent event) {
        if (event instanceof PaymentEvent.PaymentCaptured captured) {
            return Catalog.dollars(captured.amountCents());
        }
        if (event instanceof PaymentEvent.PaymentFailed failed) {
            return Catalog.dollars(failed.amountCents()) + ", " + failed.reason();
        }
        return Catalog.dollars(((PaymentEvent.PaymentRefunded) event).amountCents());
    }

    private static String shipment(ShipmentEvent event) {
        if (event instanceof ShipmentEvent.ShipmentScheduled scheduled) {
            return scheduled.shipmentId() + " by " + scheduled.carrier() + ", pickup " + scheduled.pickup();
        }
        return ((ShipmentEvent.ShipmentCancelled) event).shipmentId();
    }
}
