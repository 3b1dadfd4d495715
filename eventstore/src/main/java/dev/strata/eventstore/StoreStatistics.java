package dev.strata.eventstore;

/**
 * A store's size at a glance, from {@link EventStoreBuilder#statistics()}. {@code durability} is the mode the store
 * was last opened for writing with (the mode is the opener's choice, not a property of the files).
 */
public record StoreStatistics(String name, long streams, long events, long headPosition, long logBytes, long indexBytes,
                              String durability) {

    public String summary() {
        return name + ": " + streams + " streams, " + events + " events, head position " + headPosition + ", log "
                + logBytes + " bytes, index " + indexBytes + " bytes, durability " + durability;
    }
}
