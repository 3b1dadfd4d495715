package dev.strata.eventstore;

import java.nio.file.Path;

/**
 * The front door: an event store that appends, reads and subscribes. Open one embedded with
 * {@link #open(Path)} or {@link #builder()}; the remote client implements the same interface over HTTP.
 *
 * <p>Close it when done: closing stops subscriptions, completes in-flight appends, syncs the log and
 * releases the files, in that order.
 */
public interface EventStore extends EventAppender, EventReader, EventSubscriber, AutoCloseable {

    /** Opens (or creates) the embedded store in {@code directory} with the default settings ({@link Durability#FSYNC}). */
    static EventStore open(Path directory) {
        return builder().directory(directory).open();
    }

    static EventStoreBuilder builder() {
        return new EventStoreBuilder();
    }

    /** The store's name: the {@code <store>} of CloudEvents sources {@code strata://<store>/<stream>}. */
    String name();

    /**
     * An appender for system streams (names starting with {@code $}), which {@link #append} refuses. For
     * Strata's own modules (saga logs, relay dead letters); applications should not need it.
     */
    EventAppender systemAppender();

    @Override
    void close();
}
