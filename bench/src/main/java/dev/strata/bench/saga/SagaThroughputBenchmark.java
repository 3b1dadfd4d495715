package dev.strata.bench.saga;

import dev.strata.eventstore.Durability;
import dev.strata.eventstore.EventStore;
import dev.strata.saga.SagaDefinition;
import dev.strata.saga.SagaHandle;
import dev.strata.saga.SagaOrchestrator;
import dev.strata.saga.SagaStatus;
import dev.strata.saga.SagaSummary;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
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
 * Saga completions per second: a 3-step saga whose participants are local calls that return at once, so what is
 * measured is the orchestrator and its saga log (4 appends per saga: start + first step, then each success together
 * with the next start or the completion). Each invocation starts {@value #BATCH} sagas at once and waits until all
 * have completed, so appends of concurrent sagas share the store's group commit. The saga view follows the log in
 * the background, as it does in production. Scores are sagas/s (x3 for steps/s).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 5)
@Measurement(iterations = 5, time = 10)
@Fork(1)
public class SagaThroughputBenchmark {

    static final int BATCH = 2_000;

    /** The saga's state: an order id and the count of steps done. */
    public record Order(String orderId, int steps) {
        Order next() {
            return new Order(orderId, steps + 1);
        }
    }

    @Param({"OS", "FSYNC"})
    Durability durability;

    private Path directory;
    private EventStore store;
    private SagaOrchestrator orchestrator;
    private SagaDefinition<Order> saga;
    private long sequence;

    @Setup(Level.Trial)
    public void open() throws IOException {
        directory = Files.createTempDirectory("strata-saga-bench");
        store = EventStore.builder().directory(directory.resolve("store")).durability(durability)
                .meterRegistry(new SimpleMeterRegistry()).open();
        saga = SagaDefinition.builder("order", Order.class)
                .businessKey(Order::orderId)
                .step("reserve", step -> step.participant("inventory").action(ctx -> ctx.state().next()).compensation(ctx -> { }))
                .step("charge", step -> step.participant("payment").action(ctx -> ctx.state().next()).compensation(ctx -> { }))
                .step("ship", step -> step.participant("shipping").action(ctx -> ctx.state().next()))
                .build();
        orchestrator = SagaOrchestrator.builder(store).register(saga).viewDirectory(directory.resolve("saga-view"))
                .meterRegistry(new SimpleMeterRegistry()).start();
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int completeSagas() {
        @SuppressWarnings("unchecked")
        CompletableFuture<SagaSummary>[] finished = new CompletableFuture[BATCH];
        for (int i = 0; i < BATCH; i++) {
            String id = "o" + sequence++;
            SagaHandle handle = orchestrator.start(saga, id, new Order(id, 0));
            finished[i] = handle.finished();
        }
        CompletableFuture.allOf(finished).join();
        int completed = 0;
        for (CompletableFuture<SagaSummary> future : finished) {
            if (future.join().status() == SagaStatus.COMPLETED) {
                completed++;
            }
        }
        if (completed != BATCH) {
            throw new IllegalStateException("only " + completed + " of " + BATCH + " sagas completed");
        }
        return completed;
    }

    @TearDown(Level.Trial)
    public void close() throws IOException {
        orchestrator.close();
        store.close();
        try (Stream<Path> files = Files.walk(directory)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
    }
}
