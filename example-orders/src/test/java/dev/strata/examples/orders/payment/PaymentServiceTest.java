package dev.strata.examples.orders.payment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.strata.eventstore.Durability;
import dev.strata.eventstore.EventData;
import dev.strata.eventstore.EventStore;
import dev.strata.eventstore.ExpectedVersion;
import dev.strata.eventstore.Metadata;
import dev.strata.eventstore.RecordedEvent;
import dev.strata.saga.SagaMessages;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The payment service as a message participant: answers from the store, and resumes after its last answer. */
class PaymentServiceTest {

    @TempDir
    Path data;

    private static EventData charge(String orderId, String card) {
        Metadata metadata = Metadata.of(Map.of(Metadata.CORRELATION_ID, orderId, SagaMessages.SAGA_TYPE, "place_order",
                SagaMessages.STEP, "charge", SagaMessages.KEY, "place_order:" + orderId + ":charge", SagaMessages.ATTEMPT, "1",
                SagaMessages.PHASE, SagaMessages.PHASE_ACTION));
        return EventData.json("ChargeCard", "{\"orderId\":\"" + orderId + "\",\"amountCents\":4200,\"card\":\"" + card + "\"}")
                .withMetadata(metadata);
    }

    private static long replies(EventStore store) {
        try (Stream<RecordedEvent> replies = store.readStream(SagaMessages.replyStream(PaymentService.PARTICIPANT), 0,
                dev.strata.eventstore.Direction.FORWARD, 1000)) {
            return replies.count();
        }
    }

    @Test
    void commandsSentWhileTheServiceWasDownAreAnsweredWhenItStartsAndAnsweredOnesAreNotReadAgain() {
        String commands = SagaMessages.commandStream(PaymentService.PARTICIPANT);
        try (EventStore store = EventStore.builder().directory(data).durability(Durability.OS).open()) {
            assertThat(PaymentService.resumePosition(store)).isZero();
            long first = store.append(commands, ExpectedVersion.any(), charge("o1", "tok_visa")).lastPosition();
            try (PaymentService payments = PaymentService.start(store)) {
                await().atMost(Duration.ofSeconds(10)).until(() -> replies(store) == 1);
                assertThat(payments.payment("o1").status()).isEqualTo(PaymentStatus.CAPTURED);
            }
            // Two commands arrive while the service is down.
            long second = store.append(commands, ExpectedVersion.any(), charge("o2", "tok_chargeDeclined")).lastPosition();
            store.append(commands, ExpectedVersion.any(), charge("o3", "tok_visa"));
            assertThat(PaymentService.resumePosition(store)).isEqualTo(first + 1); // just after the last command answered

            try (PaymentService payments = PaymentService.start(store)) {
                await().atMost(Duration.ofSeconds(10)).until(() -> replies(store) == 3);
                assertThat(payments.payment("o2").status()).isEqualTo(PaymentStatus.FAILED);
                assertThat(payments.payment("o2").failure()).isEqualTo("card declined");
                assertThat(payments.payment("o3").status()).isEqualTo(PaymentStatus.CAPTURED);
            }
            assertThat(PaymentService.resumePosition(store)).isEqualTo(second + 2); // the o3 command is right after o2's
            assertThat(replies(store)).isEqualTo(3);
        }
    }

    @Test
    void aCommandThatIsNotASagaCommandIsAnsweredNever() {
        try (EventStore store = EventStore.builder().directory(data).durability(Durability.OS).open();
             PaymentService payments = PaymentService.start(store)) {
            store.append(SagaMessages.commandStream(PaymentService.PARTICIPANT), ExpectedVersion.any(),
                    EventData.json("ChargeCard", "{}").withId(UUID.randomUUID()));
            store.append(SagaMessages.commandStream(PaymentService.PARTICIPANT), ExpectedVersion.any(), charge("o4", "tok_visa"));
            await().atMost(Duration.ofSeconds(10)).until(() -> replies(store) == 1);
            assertThat(payments.payment("o4").status()).isEqualTo(PaymentStatus.CAPTURED);
        }
    }
}
