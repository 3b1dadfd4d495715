package dev.strata.saga;

/** Turns a participant's successful reply into the saga's new state. */
@FunctionalInterface
public interface ReplyHandler<S> {

    S apply(StepContext<S> context, ParticipantReply reply) throws Exception;
}
