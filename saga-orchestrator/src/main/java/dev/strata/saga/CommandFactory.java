package dev.strata.saga;

/**
 * Builds the command a message step sends to its participant. Should be deterministic for a given context: after a
 * restart the orchestrator sends the command again with the same event id, and the store drops the copy.
 */
@FunctionalInterface
public interface CommandFactory<S> {

    ParticipantCommand create(StepContext<S> context);
}
