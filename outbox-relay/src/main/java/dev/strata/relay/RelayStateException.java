package dev.strata.relay;

/**
 * The relay's own state cannot be used: its checkpoint file is damaged or unreadable, or another relay of the same
 * name holds it. The relay does not start rather than guess where to resume.
 */
public class RelayStateException extends RelayException {

    public RelayStateException(String message) {
        super(message);
    }

    public RelayStateException(String message, Throwable cause) {
        super(message, cause);
    }
}
