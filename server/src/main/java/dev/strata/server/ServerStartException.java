package dev.strata.server;

/** The server could not start: its port is taken, its address is not this machine's, or the HTTP layer failed. */
public class ServerStartException extends dev.strata.eventstore.EventStoreException {

    public ServerStartException(String message, Throwable cause) {
        super(message, cause);
    }
}
