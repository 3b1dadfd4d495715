package dev.strata.eventstore;

/**
 * A read-only view of a store: finite reads of what was committed when it was opened. Opens beside a process that
 * is writing the store (no lock, no recovery, nothing written). From {@link EventStoreBuilder#openReadOnly()}.
 */
public interface EventStoreReader extends EventReader, AutoCloseable {

    String name();

    @Override
    void close();
}
