package dev.strata.saga;

/**
 * Undoes a step's action as a local call. Idempotent under {@link StepContext#idempotencyKey()}, and it must accept
 * an action that never took effect: a step whose outcome is unknown (it timed out, or the saga's deadline cut it
 * off) is compensated too.
 */
@FunctionalInterface
public interface Compensation<S> {

    void compensate(StepContext<S> context) throws Exception;
}
