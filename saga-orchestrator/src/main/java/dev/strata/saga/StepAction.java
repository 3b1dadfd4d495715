package dev.strata.saga;

/**
 * A step's action as a local call: does the work (or asks a participant to) and returns the saga's new state.
 * Throw {@link PermanentFailure} when the participant refused for good, {@link TransientFailure} (or anything
 * else) when a retry may help. Must be idempotent under {@link StepContext#idempotencyKey()}: it may run again
 * after a timeout or a crash.
 */
@FunctionalInterface
public interface StepAction<S> {

    S execute(StepContext<S> context) throws Exception;
}
