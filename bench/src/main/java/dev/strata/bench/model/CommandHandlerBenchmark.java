package dev.strata.bench.model;

import dev.strata.eventstore.Durability;
import dev.strata.eventstore.EventData;
import dev.strata.eventstore.EventStore;
import dev.strata.eventstore.ExpectedVersion;
import dev.strata.eventstore.Metadata;
import dev.strata.eventstore.model.Command;
import dev.strata.eventstore.model.CommandHandler;
import dev.strata.eventstore.model.CommandResult;
import dev.strata.eventstore.model.SnapshotPolicy;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Commands per second through a {@link CommandHandler} on {@code streams} bank accounts picked at random: each
 * command loads its stream (hot cache, or snapshot plus events, or all events), decides, and appends with the exact
 * expected version, acknowledged in {@code durability} mode.
 *
 * <ul>
 *   <li>{@code handle}: the blocking call, one command at a time per benchmark thread (run with {@code -t N}).</li>
 *   <li>{@code handleAsync}: each thread keeps {@value #WINDOW} commands in flight, the way a server handling many
 *       requests would; the store commits them in groups.</li>
 * </ul>
 * Every stream starts with {@code history} events. Without the cache and without snapshots a command reads its
 * whole stream, which grows as the run goes on (about commands/s x seconds / streams events per stream): that
 * decline is the point of the comparison. A trial gets a fresh store in a temporary folder, deleted after.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 5)
@Measurement(iterations = 5, time = 5)
@Fork(1)
public class CommandHandlerBenchmark {

    static final int WINDOW = 256;

    @Param({"10000"})
    int streams;

    @Param({"100"})
    int history;

    @Param({"true", "false"})
    boolean cache;

    /** Snapshot every this many events; 0 = no snapshots. */
    @Param({"0", "25"})
    int snapshotEvery;

    @Param({"OS"})
    Durability durability;

    private Path dir;
    private EventStore store;
    private CommandHandler<BenchAccount.Command, BenchAccount.Event, BenchAccount.State> handler;
    private String[] names;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        dir = Files.createTempDirectory("strata-command-bench");
        store = EventStore.builder().directory(dir).durability(durability).meterRegistry(new SimpleMeterRegistry()).open();
        names = new String[streams];
        for (int s = 0; s < streams; s++) {
            names[s] = "account-" + s;
            List<EventData> events = new ArrayList<>(history);
            events.add(BenchAccount.TYPES.encode(new BenchAccount.Opened("owner " + s), UUID.randomUUID(), Metadata.empty()));
            for (int e = 1; e < history; e++) {
                events.add(BenchAccount.TYPES.encode(new BenchAccount.Deposited(10), UUID.randomUUID(), Metadata.empty()));
            }
            store.append(names[s], ExpectedVersion.noStream(), events);
        }
        var builder = CommandHandler.builder(store, BenchAccount.DECIDER, BenchAccount.TYPES)
                .name("bench").cacheSize(cache ? streams : 0).meterRegistry(new SimpleMeterRegistry());
        if (snapshotEvery > 0) {
            builder.snapshots(SnapshotPolicy.every(snapshotEvery, BenchAccount.State.class, "1"));
        }
        handler = builder.build();
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        store.close();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(file);
            }
        }
    }

    @State(Scope.Thread)
    public static class Client {
        final SplittableRandom random = new SplittableRandom();
        @SuppressWarnings("unchecked")
        final CompletableFuture<CommandResult<BenchAccount.Event>>[] inFlight = new CompletableFuture[WINDOW];
    }

    @Benchmark
    public CommandResult<BenchAccount.Event> handle(Client client) {
        return handler.handle(names[client.random.nextInt(names.length)], new BenchAccount.Deposit(1));
    }

    @Benchmark
    @OperationsPerInvocation(WINDOW)
    public Object handleAsync(Client client) {
        for (int i = 0; i < WINDOW; i++) {
            client.inFlight[i] = handler.handleAsync(Command.of(names[client.random.nextInt(names.length)], new BenchAccount.Deposit(1)));
        }
        Object last = null;
        for (CompletableFuture<CommandResult<BenchAccount.Event>> command : client.inFlight) {
            last = command.join();
        }
        return last;
    }
}
