package dev.strata.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.eventstore.EventStore;
import dev.strata.eventstore.RecordedEvent;
import dev.strata.saga.PermanentFailure;
import dev.strata.saga.RetryPolicy;
import dev.strata.saga.SagaDefinition;
import dev.strata.saga.SagaLog;
import dev.strata.saga.SagaOrchestrator;
import dev.strata.saga.SagaStatus;
import dev.strata.saga.TransientFailure;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class SagasCommandTest {

    public record Order(String orderId, boolean ship) {
    }

    @TempDir
    Path data;

    private final AtomicBoolean refundWorks = new AtomicBoolean(false);

    private SagaDefinition<Order> saga() {
        return SagaDefinition.builder("order", Order.class)
                .businessKey(Order::orderId)
                .step("charge", step -> step.participant("payment").action(ctx -> ctx.state())
                        .compensation(ctx -> {
                            if (!refundWorks.get()) {
                                throw new TransientFailure("refunds are down");
                            }
                        })
                        .compensationRetry(RetryPolicy.exponential(2, Duration.ofMillis(5), Duration.ofMillis(5))))
                .step("ship", step -> step.participant("shipping").action(ctx -> {
                    if (!ctx.state().ship()) {
                        throw new PermanentFailure("no courier");
                    }
                    return ctx.state();
                }))
                .build();
    }

    private SagaOrchestrator orchestrator(EventStore store, SagaDefinition<Order> saga) {
        return SagaOrchestrator.builder(store).register(saga).viewDirectory(data.resolve("saga-view"))
                .meterRegistry(new SimpleMeterRegistry()).start();
    }

    private record Run(int exit, String out, String err) {
    }

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine commandLine = Strata.commandLine();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        int exit = commandLine.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    @Test
    void listShowAndRetrySagas() throws Exception {
        SagaDefinition<Order> saga = saga();
        try (EventStore store = EventStore.open(data); SagaOrchestrator sagas = orchestrator(store, saga)) {
            assertThat(sagas.start(saga, "o-1", new Order("A-1", true)).finished().get(10, TimeUnit.SECONDS).status())
                    .isEqualTo(SagaStatus.COMPLETED);
            assertThat(sagas.start(saga, "o-2", new Order("A-2", false)).finished().get(10, TimeUnit.SECONDS).status())
                    .isEqualTo(SagaStatus.STUCK);
        }
        String dir = data.toString();

        Run all = run("sagas", "list", "--data", dir);
        assertThat(all.exit()).as(all.err()).isZero();
        assertThat(all.out()).contains("o-1").contains("COMPLETED").contains("o-2").contains("STUCK").contains("refunds are down").contains("2 sagas");

        Run stuck = run("sagas", "list", "--data", dir, "--status", "STUCK");
        assertThat(stuck.out()).contains("o-2").doesNotContain("o-1 ").contains("1 saga");
        assertThat(run("sagas", "list", "--data", dir, "--key", "A-1").out()).contains("o-1").doesNotContain("o-2");
        assertThat(run("sagas", "list", "--data", dir, "--type", "refund").out()).contains("no sagas match");

        Run show = run("sagas", "show", "--data", dir, "order", "o-2");
        assertThat(show.exit()).isZero();
        assertThat(show.out()).contains("status       STUCK").contains("$saga-order-o-2").contains("SagaStuck").contains("CompensationFailed");

        Run missing = run("sagas", "show", "--data", dir, "order", "nope");
        assertThat(missing.exit()).isEqualTo(1);
        assertThat(missing.err().strip()).isEqualTo("strata show: no saga order/nope");

        Run notStuck = run("sagas", "retry", "--data", dir, "order", "o-1");
        assertThat(notStuck.exit()).isEqualTo(1);
        assertThat(notStuck.err()).contains("is COMPLETED").contains("only a STUCK saga can be retried");

        Run retried = run("sagas", "retry", "--data", dir, "order", "o-2", "--reason", "refunds are back");
        assertThat(retried.exit()).as(retried.err()).isZero();
        assertThat(retried.out()).contains("COMPENSATING again at the compensation of charge");

        // the application starts again: its orchestrator resumes the retried compensation
        refundWorks.set(true);
        try (EventStore store = EventStore.open(data); SagaOrchestrator sagas = orchestrator(store, saga)) {
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10))
                    .until(() -> sagas.find("order", "o-2").orElseThrow().status() == SagaStatus.COMPENSATED);
            assertThat(SagaLog.read(store, "order", "o-2").stream().map(RecordedEvent::type))
                    .containsSubsequence("SagaStuck", "SagaRetried", "CompensationStarted", "CompensationSucceeded", "SagaCompensated");
            assertThat(SagaLog.decode(SagaLog.read(store, "order", "o-2").stream()
                    .filter(event -> event.type().equals("SagaRetried")).findFirst().orElseThrow()))
                    .isEqualTo(new dev.strata.saga.SagaEvent.SagaRetried("refunds are back"));
        }
        assertThat(run("sagas", "list", "--data", dir, "--status", "COMPENSATED").out()).contains("o-2");
        try (EventStore store = EventStore.open(data); SagaOrchestrator sagas = orchestrator(store, saga)) {
            Run beside = run("sagas", "list", "--data", dir);
            assertThat(beside.exit()).as("list reads a snapshot beside the running application: %s", beside.err()).isZero();
            assertThat(beside.out()).contains("o-1").contains("o-2");
            assertThat(run("sagas", "show", "--data", dir, "order", "o-2").out()).contains("status       COMPENSATED");
            Run retryBeside = run("sagas", "retry", "--data", dir, "order", "o-2");
            assertThat(retryBeside.exit()).isEqualTo(1);
            assertThat(retryBeside.err()).contains("open for writing by another process");
        }
        assertThat(run("sagas").exit()).isEqualTo(2);
    }

    @Test
    void badArgumentsAreUsageErrors() {
        Run bad = run("sagas", "list", "--data", data.toString(), "--status", "SLEEPING");
        assertThat(bad.exit()).isEqualTo(2);
        assertThat(bad.err()).contains("SLEEPING");
        Run badType = run("sagas", "show", "--data", data.toString(), "or-der", "x");
        assertThat(badType.exit()).isEqualTo(1);
        assertThat(badType.err()).contains("saga.type must match");
        Run noStore = run("sagas", "list", "--data", data.resolve("nothing").toString());
        assertThat(noStore.exit()).isEqualTo(1);
        assertThat(noStore.err()).contains("must be a Strata store");
    }
}
