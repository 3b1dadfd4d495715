package dev.strata.saga;

import dev.strata.eventstore.DuplicateEventIdException;
import dev.strata.eventstore.EventStore;
import dev.strata.eventstore.ExpectedVersion;
import dev.strata.eventstore.RecordedEvent;
import dev.strata.eventstore.Subscription;
import dev.strata.eventstore.SubscriptionListener;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The participant's side of a message step, in one object: follows {@code <participant>.commands}, hands each
 * command to {@code handler}, and appends the handler's reply to {@code <participant>.replies}. A handler that
 * throws answers a transient failure. Delivery is at-least-once (a restarted endpoint resumes from the position the
 * caller remembered), so the handler must dedup by {@link ParticipantRequest#idempotencyKey()}; a repeated answer to
 * the same command has the same event id and is dropped by the store.
 */
public final class ParticipantEndpoint implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ParticipantEndpoint.class);

    private final Subscription subscription;

    private ParticipantEndpoint(Subscription subscription) {
        this.subscription = subscription;
    }

    /** Serves {@code participant}'s commands from global position {@code fromPosition} on. */
    public static ParticipantEndpoint start(EventStore store, String participant, long fromPosition,
                                            Function<ParticipantRequest, ParticipantReply> handler) {
        StepDefinition.requireParticipantName(participant);
        if (handler == null) {
            throw new SagaValidationException("handler", null, "must not be null");
        }
        String replies = SagaMessages.replyStream(participant);
        Subscription subscription = store.subscribeToCategory(SagaMessages.commandStream(participant), fromPosition,
                new SubscriptionListener() {
                    @Override
                    public void onEvent(RecordedEvent event) {
                        ParticipantRequest request;
                        try {
                            request = ParticipantRequest.from(event);
                        } catch (SagaValidationException e) {
                            LOG.warn("Participant {}: skipped event {} of its command stream: {}", participant, event.id(), e.getMessage());
                            return;
                        }
                        ParticipantReply reply;
                        try {
                            reply = handler.apply(request);
                        } catch (RuntimeException e) {
                            reply = ParticipantReply.transientFailure(participant + " failed: " + e);
                        }
                        try {
                            store.append(replies, ExpectedVersion.any(), reply.toEvent(request));
                        } catch (DuplicateEventIdException e) {
                            // answered before with other content (a handler that is not deterministic): the first answer stands
                            LOG.debug("Reply to {} for {} already sent", event.id(), request.idempotencyKey());
                        }
                    }

                    @Override
                    public void onStopped(Throwable cause) {
                        LOG.warn("Participant endpoint {} stopped: {}", participant, cause.toString());
                    }
                });
        return new ParticipantEndpoint(subscription);
    }

    /** The position of the last command handled: resume from the next one after a restart. */
    public long lastPosition() {
        return subscription.lastPosition();
    }

    @Override
    public void close() {
        subscription.close();
    }
}
