package dev.strata.eventstore.internal;

import dev.strata.eventstore.Durability;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;

/** The validated settings of an embedded store (see {@code EventStoreBuilder}). */
public record StoreSettings(Path directory, String name, Durability durability, int maxEventSize, int maxAppendEvents,
                            int maxAppendBytes, int ringSize, int streamCacheSize, Duration backgroundSyncInterval,
                            InstantSource clock, MeterRegistry meterRegistry, String rollCycle) {

    /** Chronicle's block size: a record may take at most a quarter of a block. */
    public long blockSize() {
        return Math.max(64L << 20, Long.highestOneBit((long) maxAppendBytes * 4 - 1) << 1);
    }
}
