package dev.strata.saga;

/**
 * What a step's action or compensation is given: which saga and step, the idempotency key, the attempt, and the
 * saga's state as the previous steps left it.
 *
 * @param idempotencyKey stable across retries and restarts: {@code <sagaType>:<sagaId>:<step>} for the action and
 *                       {@code <sagaType>:<sagaId>:<step>:compensation} for the compensation. A participant that
 *                       remembers the keys it applied can answer a repeated call without doing the work twice.
 * @param attempt        1 for the first try; grows with retries (and with restarts that re-invoke an unfinished try)
 */
public record StepContext<S>(String sagaType, String sagaId, String step, String idempotencyKey, int attempt, S state) {
}
