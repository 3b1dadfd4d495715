package dev.strata.eventstore;

/** The store was closed (or is closing); open it again to continue. */
public class StoreClosedException extends EventStoreException {

    public StoreClosedException(String storeName) {
        super("event store '" + storeName + "' is closed");
    }
}
