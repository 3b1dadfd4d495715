package dev.strata.bench.index;

import dev.strata.bench.load.Payload;
import dev.strata.bench.peers.StrataTarget;
import dev.strata.eventstore.Direction;
import dev.strata.eventstore.Durability;
import dev.strata.eventstore.EventData;
import dev.strata.eventstore.EventStore;
import dev.strata.eventstore.ExpectedVersion;
import dev.strata.eventstore.Metadata;
import dev.strata.eventstore.RecordedEvent;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.OptionalLong;
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
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Index lookups on a store of 1,000,000 events over 10,000 streams (100 each): a stream's current version, the
 * first 10 events of a random stream (stream index), and one event at a random global position (position map).
 * Reopened before measuring, so lookups go to the files, not to the writer's caches.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class IndexLookupBenchmark {

    private static final int STREAMS = 10_000;
    private static final int PER_STREAM = 100;

    private Path directory;
    private EventStore store;
    private String[] names;
    private long events;
    private final SplittableRandom random = new SplittableRandom(3);

    @Setup(Level.Trial)
    public void fill() throws IOException {
        directory = Files.createTempDirectory("strata-index-bench");
        names = new String[STREAMS];
        for (int i = 0; i < STREAMS; i++) {
            names[i] = "bench-" + i;
        }
        EventData template = new EventData(UUID.randomUUID(), "Benchmarked", EventData.JSON, Metadata.empty(), Payload.of(200).json());
        try (EventStore filling = open()) {
            CompletableFuture<?> last = null;
            for (int round = 0; round < PER_STREAM / 10; round++) {
                for (int s = 0; s < STREAMS; s++) {
                    last = filling.appendAsync(names[s], ExpectedVersion.any(), StrataTarget.events(template, 10));
                }
                last.join();
            }
        }
        store = open();
        events = store.headPosition() + 1;
    }

    private EventStore open() {
        return EventStore.builder().directory(directory).durability(Durability.OS).meterRegistry(new SimpleMeterRegistry()).open();
    }

    @Benchmark
    public OptionalLong streamVersion() {
        return store.streamVersion(names[random.nextInt(STREAMS)]);
    }

    @Benchmark
    public long readStreamHead() {
        try (Stream<RecordedEvent> events = store.readStream(names[random.nextInt(STREAMS)], 0, Direction.FORWARD, 10)) {
            return events.count();
        }
    }

    @Benchmark
    public long readAtPosition() {
        try (Stream<RecordedEvent> one = store.readAll(random.nextLong(events), 1)) {
            return one.count();
        }
    }

    @TearDown(Level.Trial)
    public void close() throws IOException {
        store.close();
        try (Stream<Path> files = Files.walk(directory)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
    }
}
