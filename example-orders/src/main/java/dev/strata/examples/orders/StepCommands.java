package dev.strata.examples.orders;

import dev.strata.eventstore.Metadata;
import dev.strata.eventstore.model.Command;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * Commands the services handle on behalf of a saga step. Their id derives from the step's idempotency key, so when the
 * orchestrator invokes a step again (after a timeout or a crash) the command handler recognises the retry and returns
 * the first outcome instead of applying it twice. Their correlation id is the order id, so every event of one order,
 * in every service's streams, can be found and traced together (and travels as the CloudEvents extension
 * {@code correlationid}).
 */
public final class StepCommands {

    private StepCommands() {
    }

    public static <C> Command<C> command(String stream, C payload, String idempotencyKey, String orderId) {
        return new Command<>(stream, payload, commandId(idempotencyKey), Metadata.empty().with(Metadata.CORRELATION_ID, orderId));
    }

    /** The same key always gives the same id (a name-based UUID). */
    public static UUID commandId(String idempotencyKey) {
        return UUID.nameUUIDFromBytes(idempotencyKey.getBytes(StandardCharsets.UTF_8));
    }
}
