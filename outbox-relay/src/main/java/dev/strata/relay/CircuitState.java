package dev.strata.relay;

/**
 * The relay's circuit breaker around its sink. {@link #CLOSED}: publishing normally. {@link #OPEN}: the sink failed
 * repeatedly; no attempt until the open period is over. {@link #HALF_OPEN}: one trial publish decides whether to
 * close again or stay open. {@link #code()} is the value of the {@code strata.relay.circuit.state} gauge.
 */
public enum CircuitState {
    CLOSED(0),
    OPEN(1),
    HALF_OPEN(2);

    private final int code;

    CircuitState(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }
}
