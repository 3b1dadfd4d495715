package dev.strata.eventstore;

import dev.strata.eventstore.internal.ChronicleEventStore;
import dev.strata.eventstore.internal.ReadOnlyChronicleStore;
import dev.strata.eventstore.internal.StoreFiles;
import dev.strata.eventstore.internal.StoreVerifier;
import dev.strata.eventstore.internal.StoreSettings;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * Settings of an embedded store. Every setting has a default except the directory; {@link #open()}
 * validates them all and names the setting in its message.
 */
public final class EventStoreBuilder {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    private static final int MAX_RECORD_BYTES = 64 << 20;

    private Path directory;
    private String name;
    private Durability durability = Durability.FSYNC;
    private int maxEventSize = 1 << 20;
    private int maxAppendEvents = 10_000;
    private int maxAppendBytes = 16 << 20;
    private int ringSize = 4096;
    private int streamCacheSize = 1_000_000;
    private Duration backgroundSyncInterval = Duration.ofSeconds(1);
    private InstantSource clock = InstantSource.system();
    private MeterRegistry meterRegistry = Metrics.globalRegistry;
    private String rollCycle = "FAST_DAILY";

    EventStoreBuilder() {
    }

    /** The folder that holds the store; created if missing. Required. */
    public EventStoreBuilder directory(Path directory) {
        this.directory = directory;
        return this;
    }

    /** The store's name in CloudEvents sources; defaults to the directory's name (made safe). */
    public EventStoreBuilder name(String name) {
        this.name = name;
        return this;
    }

    /** When an append is acknowledged; {@link Durability#FSYNC} by default. */
    public EventStoreBuilder durability(Durability durability) {
        this.durability = durability;
        return this;
    }

    /** The largest event data, in bytes; 1 MiB by default. */
    public EventStoreBuilder maxEventSize(int bytes) {
        this.maxEventSize = bytes;
        return this;
    }

    /** The most events one append (all streams together) may carry; 10,000 by default. */
    public EventStoreBuilder maxAppendEvents(int events) {
        this.maxAppendEvents = events;
        return this;
    }

    /** The largest encoded append, in bytes; 16 MiB by default, at most 64 MiB. */
    public EventStoreBuilder maxAppendBytes(int bytes) {
        this.maxAppendBytes = bytes;
        return this;
    }

    /** Slots in the ring between appenders and the writer (a power of two); 4096 by default. */
    public EventStoreBuilder ringSize(int slots) {
        this.ringSize = slots;
        return this;
    }

    /** How many streams' versions the writer keeps in memory; 1,000,000 by default. */
    public EventStoreBuilder streamCacheSize(int streams) {
        this.streamCacheSize = streams;
        return this;
    }

    /**
     * In {@link Durability#OS} mode, how often the log is synced in the background, bounding what a power loss
     * can take; one second by default. {@link Duration#ZERO} turns background syncs off.
     */
    public EventStoreBuilder backgroundSyncInterval(Duration interval) {
        this.backgroundSyncInterval = interval;
        return this;
    }

    /** The clock that stamps commits; the system clock by default. */
    public EventStoreBuilder clock(InstantSource clock) {
        this.clock = clock;
        return this;
    }

    /** Where the store's meters go; Micrometer's global registry by default. */
    public EventStoreBuilder meterRegistry(MeterRegistry registry) {
        this.meterRegistry = registry;
        return this;
    }

    /** For tests that need the log to roll to a new file often: a Chronicle roll cycle name. */
    EventStoreBuilder rollCycle(String rollCycle) {
        this.rollCycle = rollCycle;
        return this;
    }

    /** Validates the settings and opens the store, recovering it if it was not closed cleanly. */
    public EventStore open() {
        return ChronicleEventStore.open(settings());
    }

    /**
     * Opens a read-only snapshot of an existing store, beside a writer if one is running: tools use it. Nothing is
     * written, so a torn tail is not cut (it is simply not shown).
     */
    public EventStoreReader openReadOnly() {
        StoreSettings settings = settings();
        requireStore(settings);
        return ReadOnlyChronicleStore.open(settings);
    }

    /**
     * Checks the whole store without changing it: checksums, dense positions, contiguous versions, the watermark,
     * the index against the log. Reports progress lines through {@code progress} on long runs.
     */
    public VerificationReport verify(Consumer<String> progress) {
        StoreSettings settings = settings();
        requireStore(settings);
        return StoreVerifier.verify(settings, progress);
    }

    /** Streams, events, head position, bytes on disk and the durability the store was last opened with. */
    public StoreStatistics statistics() {
        StoreSettings settings = settings();
        requireStore(settings);
        try (ReadOnlyChronicleStore store = ReadOnlyChronicleStore.open(settings)) {
            return new StoreStatistics(store.name(), store.countStreams(), store.headPosition() + 1, store.headPosition(),
                    StoreFiles.size(settings.directory().resolve("log")), StoreFiles.size(settings.directory().resolve("index")),
                    StoreFiles.lastDurability(settings.directory()));
        }
    }

    private static void requireStore(StoreSettings settings) {
        if (!StoreFiles.isStore(settings.directory())) {
            throw new ValidationException("directory", settings.directory(), "must be a Strata store (it has no log folder)");
        }
    }

    StoreSettings settings() {
        if (directory == null) {
            throw new ValidationException("directory", null, "must be set");
        }
        Path dir = directory.toAbsolutePath().normalize();
        String storeName = name != null ? name : defaultName(dir);
        if (!NAME.matcher(storeName).matches()) {
            throw new ValidationException("name", storeName, "must match " + NAME.pattern());
        }
        requireNonNull("durability", durability);
        requireNonNull("clock", clock);
        requireNonNull("meterRegistry", meterRegistry);
        requireNonNull("backgroundSyncInterval", backgroundSyncInterval);
        if (maxEventSize <= 0) {
            throw new ValidationException("maxEventSize", maxEventSize, "must be > 0");
        }
        if (maxAppendEvents <= 0) {
            throw new ValidationException("maxAppendEvents", maxAppendEvents, "must be > 0");
        }
        if (maxAppendBytes <= 0 || maxAppendBytes > MAX_RECORD_BYTES) {
            throw new ValidationException("maxAppendBytes", maxAppendBytes, "must be > 0 and <= " + MAX_RECORD_BYTES);
        }
        if (maxEventSize > maxAppendBytes) {
            throw new ValidationException("maxEventSize", maxEventSize, "must be <= maxAppendBytes (" + maxAppendBytes + ")");
        }
        if (ringSize < 2 || Integer.bitCount(ringSize) != 1) {
            throw new ValidationException("ringSize", ringSize, "must be a power of two >= 2");
        }
        if (streamCacheSize < 1) {
            throw new ValidationException("streamCacheSize", streamCacheSize, "must be >= 1");
        }
        if (backgroundSyncInterval.isNegative()) {
            throw new ValidationException("backgroundSyncInterval", backgroundSyncInterval, "must not be negative");
        }
        return new StoreSettings(dir, storeName, durability, maxEventSize, maxAppendEvents, maxAppendBytes, ringSize,
                streamCacheSize, backgroundSyncInterval, clock, meterRegistry, rollCycle);
    }

    private static String defaultName(Path dir) {
        Path fileName = dir.getFileName();
        String raw = fileName == null ? "strata" : fileName.toString();
        String safe = raw.replaceAll("[^A-Za-z0-9._-]", "-");
        if (safe.isEmpty() || !Character.isLetterOrDigit(safe.charAt(0))) {
            safe = "s" + safe;
        }
        return safe.length() > 64 ? safe.substring(0, 64) : safe;
    }

    private static void requireNonNull(String setting, Object value) {
        if (value == null) {
            throw new ValidationException(setting, null, "must not be null");
        }
    }
}
