package dev.strata.examples.orders.payment;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.strata.eventstore.Direction;
import dev.strata.eventstore.EventReader;
import dev.strata.eventstore.EventStore;
import dev.strata.eventstore.RecordedEvent;
import dev.strata.eventstore.StreamVersions;
import dev.strata.eventstore.model.CommandHandler;
import dev.strata.examples.orders.StepCommands;
import dev.strata.examples.orders.payment.PaymentCommand.ChargeCard;
import dev.strata.examples.orders.payment.PaymentCommand.RefundPayment;
import dev.strata.saga.ParticipantEndpoint;
import dev.strata.saga.ParticipantReply;
import dev.strata.saga.ParticipantRequest;
import dev.strata.saga.SagaMessages;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The payment service, reached by messages through the store rather than by calls: it follows
 * {@code payment.commands}, keeps one stream per order's payment ({@code payment-<orderId>}, with the
 * {@link PaymentDecider}), and answers on {@code payment.replies}. It needs nothing but the store, so it could run in
 * another process.
 *
 * <p>Delivery is at least once: a command may arrive again (a restart, a retried step). The command id derives from
 * the step's idempotency key and the decider charges an order once, so a repeat only repeats the answer, and a
 * repeated answer has the same event id, which the store drops.
 */
public final class PaymentService implements AutoCloseable {

    /** The participant name: the saga's step names it, and it names the message streams. */
    public static final String PARTICIPANT = "payment";

    private static final ObjectMapper JSON = PaymentEvent.TYPES.objectMapper();

    private final CommandHandler<PaymentCommand, PaymentEvent, Payment> payments;
    private final Runnable beforeEachCommand;
    private final ParticipantEndpoint endpoint;

    private PaymentService(EventStore store, Runnable beforeEachCommand) {
        this.payments = CommandHandler.builder(store, new PaymentDecider(), PaymentEvent.TYPES).name("payment").build();
        this.beforeEachCommand = beforeEachCommand;
        this.endpoint = ParticipantEndpoint.start(store, PARTICIPANT, resumePosition(store), this::answer);
    }

    /** Starts answering commands, from the first one not answered yet. */
    public static PaymentService start(EventStore store) {
        return start(store, () -> { });
    }

    /** As {@link #start(EventStore)}, running {@code beforeEachCommand} first for each command (the demo uses it). */
    public static PaymentService start(EventStore store, Runnable beforeEachCommand) {
        return new PaymentService(store, beforeEachCommand);
    }

    public static String stream(String orderId) {
        return "payment-" + orderId;
    }

    /** The order's payment as its events say now. */
    public Payment payment(String orderId) {
        return payments.currentState(stream(orderId));
    }

    private ParticipantReply answer(ParticipantRequest request) {
        beforeEachCommand.run();
        String orderId = request.sagaId();
        PaymentCommand command;
        try {
            command = request.compensation() ? new RefundPayment(orderId) : JSON.readValue(request.json(), ChargeCard.class);
        } catch (JsonProcessingException e) {
            return ParticipantReply.permanentFailure("not a ChargeCard command: " + e.getOriginalMessage());
        }
        payments.handle(StepCommands.command(stream(orderId), command, request.idempotencyKey(), orderId));
        // The answer is the payment as it stands, whether this command changed it or an earlier delivery did.
        Payment payment = payment(orderId);
        Map<String, Object> body = Map.of("orderId", orderId, "amountCents", payment.amountCents(),
                "reason", Optional.ofNullable(payment.failure()).orElse(""));
        return switch (payment.status()) {
            case CAPTURED -> ParticipantReply.success("PaymentCaptured", write(body));
            case REFUNDED -> ParticipantReply.success("PaymentRefunded", write(body));
            case FAILED -> new ParticipantReply(ParticipantReply.Outcome.PERMANENT_FAILURE, "PaymentFailed", write(body), payment.failure());
            case NONE -> ParticipantReply.success("NothingToRefund", write(body)); // a refund of a charge that never happened
        };
    }

    /**
     * Where to resume after a restart: just after the last command answered. Replies are written in command order
     * (one command at a time), so that command is found by walking the command stream back from its end, a few steps.
     */
    static long resumePosition(EventReader store) {
        Optional<RecordedEvent> lastReply;
        try (Stream<RecordedEvent> replies = store.readStream(SagaMessages.replyStream(PARTICIPANT), StreamVersions.END, Direction.BACKWARD, 1)) {
            lastReply = replies.findFirst();
        }
        Optional<String> answered = lastReply.flatMap(reply -> reply.metadata().causationId());
        if (answered.isEmpty()) {
            return 0;
        }
        try (Stream<RecordedEvent> commands = store.readStream(SagaMessages.commandStream(PARTICIPANT), StreamVersions.END,
                Direction.BACKWARD, Integer.MAX_VALUE)) {
            return commands.filter(command -> command.id().toString().equals(answered.get()))
                    .findFirst().map(command -> command.position() + 1).orElse(0L);
        }
    }

    private static String write(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a map of strings and numbers always serializes", e);
        }
    }

    @Override
    public void close() {
        endpoint.close();
    }
}
