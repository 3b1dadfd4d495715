package dev.strata.saga;

/** A participant's circuit breaker state. */
public enum CircuitState {
    /** Calls go through; outcomes are counted. */
    CLOSED,
    /** Calls fail fast until the cooldown has passed. */
    OPEN,
    /** One probe call is let through; its outcome closes or reopens the breaker. */
    HALF_OPEN
}
