package dev.strata.eventstore.model;

import dev.strata.eventstore.EventStore;
import dev.strata.eventstore.ValidationException;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import java.util.regex.Pattern;

/**
 * Settings of a {@link CommandHandler}. Every setting has a default; {@link #build()} validates them all and names
 * the setting in its message.
 */
public final class CommandHandlerBuilder<C, E, S> {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    final EventStore store;
    final Decider<C, E, S> decider;
    final EventTypes<E> types;
    String name;
    int maxAttempts = 10;
    Duration retryBackoff = Duration.ofNanos(200_000);
    int cacheSize = 10_000;
    SnapshotPolicy<S> snapshots;
    MeterRegistry meterRegistry = Metrics.globalRegistry;
    Executor executor = ForkJoinPool.commonPool();

    CommandHandlerBuilder(EventStore store, Decider<C, E, S> decider, EventTypes<E> types) {
        if (store == null) {
            throw new ValidationException("store", null, "must not be null");
        }
        if (decider == null) {
            throw new ValidationException("decider", null, "must not be null");
        }
        if (types == null) {
            throw new ValidationException("types", null, "must not be null");
        }
        this.store = store;
        this.decider = decider;
        this.types = types;
    }

    /** The handler's name in meters ({@code handler} tag) and logs; the events' base type's simple name by default. */
    public CommandHandlerBuilder<C, E, S> name(String name) {
        this.name = name;
        return this;
    }

    /**
     * How many times a command is decided and appended before a version conflict becomes a
     * {@link CommandConflictException}; 10 by default, 1 means no retry.
     */
    public CommandHandlerBuilder<C, E, S> maxAttempts(int attempts) {
        this.maxAttempts = attempts;
        return this;
    }

    /**
     * The base of the random wait between attempts after the second conflict in a row (a random time up to the
     * base, doubling each time, at most 16 times the base), which spreads out writers racing for one stream; 0.2 ms
     * by default (about one append's round trip), {@link Duration#ZERO} for none. The first retry never waits.
     */
    public CommandHandlerBuilder<C, E, S> retryBackoff(Duration base) {
        this.retryBackoff = base;
        return this;
    }

    /**
     * How many streams' folded states the hot cache keeps (least recently used evicted first); 10,000 by default,
     * 0 turns the cache off (every command then loads its stream).
     */
    public CommandHandlerBuilder<C, E, S> cacheSize(int streams) {
        this.cacheSize = streams;
        return this;
    }

    /** Snapshots, off by default (see {@link SnapshotPolicy}). */
    public CommandHandlerBuilder<C, E, S> snapshots(SnapshotPolicy<S> policy) {
        this.snapshots = policy;
        return this;
    }

    /** Where the handler's meters go; Micrometer's global registry by default. */
    public CommandHandlerBuilder<C, E, S> meterRegistry(MeterRegistry registry) {
        this.meterRegistry = registry;
        return this;
    }

    /**
     * Where {@link CommandHandler#handleAsync} continues a command after a version conflict (reload, decide, append)
     * and takes snapshots: blocking work, off the store's writer thread. {@link ForkJoinPool#commonPool()} by
     * default; give a pool of its own to an application with many conflicts or snapshots.
     */
    public CommandHandlerBuilder<C, E, S> executor(Executor executor) {
        this.executor = executor;
        return this;
    }

    public CommandHandler<C, E, S> build() {
        if (name == null) {
            name = types.baseType().getSimpleName();
        }
        if (!NAME.matcher(name).matches()) {
            throw new ValidationException("name", name, "must match " + NAME.pattern());
        }
        if (maxAttempts < 1) {
            throw new ValidationException("maxAttempts", maxAttempts, "must be >= 1");
        }
        if (retryBackoff == null || retryBackoff.isNegative() || retryBackoff.compareTo(Duration.ofSeconds(1)) > 0) {
            throw new ValidationException("retryBackoff", retryBackoff, "must be between 0 and 1 s");
        }
        if (cacheSize < 0) {
            throw new ValidationException("cacheSize", cacheSize, "must be >= 0 (0 turns the cache off)");
        }
        if (executor == null) {
            throw new ValidationException("executor", null, "must not be null");
        }
        if (meterRegistry == null) {
            throw new ValidationException("meterRegistry", null, "must not be null");
        }
        return new CommandHandler<>(this);
    }
}
