package dev.strata.relay;

/**
 * The root of every failure the relay module reports. Unchecked; {@link #isRetryable()} says whether the same
 * operation may succeed later unchanged (a broker that is down), as opposed to one that never will (an event the
 * destination refuses).
 */
public abstract class RelayException extends RuntimeException {

    protected RelayException(String message) {
        super(message);
    }

    protected RelayException(String message, Throwable cause) {
        super(message, cause);
    }

    public boolean isRetryable() {
        return false;
    }
}
