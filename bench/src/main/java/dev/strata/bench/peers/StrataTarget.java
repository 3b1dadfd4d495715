package dev.strata.bench.peers;

import dev.strata.bench.load.AppendTarget;
import dev.strata.bench.load.ExpectedVersionConflict;
import dev.strata.bench.load.Payload;
import dev.strata.eventstore.Durability;
import dev.strata.eventstore.EventData;
import dev.strata.eventstore.EventStore;
import dev.strata.eventstore.ExpectedVersion;
import dev.strata.eventstore.Metadata;
import dev.strata.eventstore.WrongExpectedVersionException;
import dev.strata.eventstore.remote.RemoteEventStore;
import dev.strata.server.StrataServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Strata through its public {@link EventStore} API: embedded here, or a remote client on a Strata server (the same
 * interface), so both run the same workload. Events are JSON, type {@code Benchmarked}, each with a fresh random id.
 */
public final class StrataTarget implements AppendTarget {

    private final String name;
    private final String durability;
    private final EventStore store;
    private final AutoCloseable resources;
    private final Payload payload;

    public StrataTarget(String name, String durability, EventStore store, AutoCloseable resources, Payload payload) {
        this.name = name;
        this.durability = durability;
        this.store = store;
        this.resources = resources;
        this.payload = payload;
    }

    /** An embedded store in a fresh {@code directory}. */
    public static StrataTarget embedded(Path directory, Durability durability, Payload payload) {
        EventStore store = EventStore.builder().directory(directory).durability(durability)
                .meterRegistry(new SimpleMeterRegistry()).open();
        return new StrataTarget("strata-" + durability.name().toLowerCase(java.util.Locale.ROOT), describe(durability), store, store, payload);
    }

    /**
     * A Strata server on a free loopback port in this process, with its store in a fresh {@code directory}, and the
     * remote client ({@link RemoteEventStore}: appends are HTTP requests, subscriptions Server-Sent Events) in front.
     * The client, the server and the load share this machine's cores.
     */
    public static StrataTarget overServer(Path directory, Durability durability, Payload payload) {
        StrataServer server = StrataServer.builder().dataDirectory(directory).port(0).durability(durability).start();
        RemoteEventStore remote;
        try {
            remote = RemoteEventStore.connect(server.uri());
        } catch (RuntimeException e) {
            server.close();
            throw e;
        }
        return new StrataTarget("strata-server-" + durability.name().toLowerCase(java.util.Locale.ROOT),
                describe(durability) + "; over HTTP on loopback (server in this process, remote client)", remote, () -> {
                    remote.close();
                    server.close();
                }, payload);
    }

    public static String describe(Durability durability) {
        return durability == Durability.FSYNC
                ? "on disk: fdatasync of the log before the acknowledgement (group commit)"
                : "page cache: survives a process crash, not a power loss (synced in the background every second)";
    }

    public EventStore store() {
        return store;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String durability() {
        return durability;
    }

    @Override
    public boolean checksExpectedVersion() {
        return true;
    }

    @Override
    public Session session(int thread) {
        EventData template = new EventData(UUID.randomUUID(), "Benchmarked", EventData.JSON, Metadata.empty(), payload.json());
        return new Session() {
            @Override
            public void append(String stream, long expectedVersion, int count) {
                try {
                    store.append(stream, expected(expectedVersion), events(template, count));
                } catch (WrongExpectedVersionException e) {
                    throw new ExpectedVersionConflict(stream, expectedVersion, e);
                }
            }

            @Override
            public CompletableFuture<Void> appendAsync(String stream, long expectedVersion, int count) {
                return store.appendAsync(stream, expected(expectedVersion), events(template, count)).handle((result, failure) -> {
                    Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
                    if (cause instanceof WrongExpectedVersionException) {
                        throw new ExpectedVersionConflict(stream, expectedVersion, cause);
                    }
                    if (cause != null) {
                        throw cause instanceof RuntimeException runtime ? runtime : new CompletionException(cause);
                    }
                    return null;
                });
            }
        };
    }

    static ExpectedVersion expected(long version) {
        return version < 0 ? ExpectedVersion.noStream() : ExpectedVersion.exactly(version);
    }

    /**
     * {@code count} copies of the template with fresh random (version 4) ids from a thread-local generator: ids are
     * the client's business, and {@link UUID#randomUUID()}'s SecureRandom would otherwise dominate the appender.
     */
    public static List<EventData> events(EventData template, int count) {
        List<EventData> events = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            events.add(template.withId(randomId()));
        }
        return events;
    }

    /** A random (version 4) UUID without SecureRandom's cost: uniqueness is all the store needs. */
    public static UUID randomId() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        return new UUID((random.nextLong() & ~0xf000L) | 0x4000L, (random.nextLong() & 0x3fffffffffffffffL) | 0x8000000000000000L);
    }

    @Override
    public void close() {
        try {
            resources.close();
        } catch (Exception e) {
            throw new IllegalStateException("closing " + name + " failed", e);
        }
    }
}
