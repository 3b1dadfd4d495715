package dev.strata.bench.store;

import dev.strata.bench.load.Payload;
import dev.strata.bench.peers.StrataTarget;
import dev.strata.eventstore.AppendResult;
import dev.strata.eventstore.Durability;
import dev.strata.eventstore.EventData;
import dev.strata.eventstore.EventStore;
import dev.strata.eventstore.ExpectedVersion;
import dev.strata.eventstore.Metadata;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The whole append path, one blocking append at a time from one thread: validation, encoding, the hand-off through
 * the ring to the writer, the expected-version check, the log write, the index update and the acknowledgement.
 * 200-byte events over 10,000 streams with exact expected versions, OS durability (FSYNC would measure the disk:
 * the load generator's durable figures do that). Appends of 1 and of 100 events.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@Threads(1)
public class AppendPathBenchmark {

    private static final int STREAMS = 10_000;

    @Param({"1", "100"})
    int events;

    private Path directory;
    private EventStore store;
    private EventData template;
    private long[] versions;
    private String[] names;
    private SplittableRandom random;

    @Setup(Level.Trial)
    public void open() throws IOException {
        directory = Files.createTempDirectory("strata-append-bench");
        store = EventStore.builder().directory(directory).durability(Durability.OS).meterRegistry(new SimpleMeterRegistry()).open();
        template = new EventData(UUID.randomUUID(), "Benchmarked", EventData.JSON, Metadata.empty(), Payload.of(200).json());
        versions = new long[STREAMS];
        Arrays.fill(versions, -1);
        names = new String[STREAMS];
        for (int i = 0; i < STREAMS; i++) {
            names[i] = "bench-" + i;
        }
        random = new SplittableRandom(1);
    }

    @Benchmark
    public AppendResult append() {
        int stream = random.nextInt(STREAMS);
        long expected = versions[stream];
        versions[stream] += events;
        return store.append(names[stream], expected < 0 ? ExpectedVersion.noStream() : ExpectedVersion.exactly(expected),
                StrataTarget.events(template, events));
    }

    @TearDown(Level.Trial)
    public void close() throws IOException {
        store.close();
        try (Stream<Path> files = Files.walk(directory)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
    }
}
