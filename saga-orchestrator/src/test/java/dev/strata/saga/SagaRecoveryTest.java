package dev.strata.saga;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.strata.eventstore.Durability;
import dev.strata.eventstore.EventStore;
import dev.strata.eventstore.RecordedEvent;
import dev.strata.saga.testing.ManualClock;
import dev.strata.saga.testing.ManualScheduler;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Restarts, durable timers, two orchestrators on one saga, and circuit breakers on virtual time. */
class SagaRecoveryTest {

    @TempDir
    Path dir;

    private EventStore store;
    private final Ledger ledger = new Ledger();
    private final List<SagaOrchestrator> orchestrators = new ArrayList<>();

    @BeforeEach
    void openStore() {
        store = EventStore.builder().directory(dir.resolve("store")).durability(Durability.OS).meterRegistry(new SimpleMeterRegistry()).open();
    }

    @AfterEach
    void close() {
        orchestrators.forEach(SagaOrchestrator::close);
        store.close();
    }

    private SagaOrchestrator.Builder orchestrator(String view, SagaDefinition<?> definition) {
        return SagaOrchestrator.builder(store).register(definition).viewDirectory(dir.resolve(view)).meterRegistry(new SimpleMeterRegistry());
    }

    private SagaOrchestrator started(SagaOrchestrator.Builder builder) {
        SagaOrchestrator orchestrator = builder.start();
        orchestrators.add(orchestrator);
        return orchestrator;
    }

    private List<String> types(String type, String id) {
        return SagaLog.read(store, type, id).stream().map(RecordedEvent::type).toList();
    }

    /** Three steps; the middle one waits for {@code gate} on its first call only. */
    private SagaDefinition<Trip> gated(CountDownLatch gate, AtomicInteger middleCalls) {
        return SagaDefinition.builder("gated", Trip.class)
                .step("first", step -> step.participant("a").action(ctx -> {
                    ledger.apply("do", ctx.idempotencyKey());
                    return ctx.state().with("first");
                }).compensation(ctx -> ledger.apply("undo", ctx.idempotencyKey())))
                .step("middle", step -> step.participant("b").action(ctx -> {
                    if (middleCalls.incrementAndGet() == 1) {
                        ledger.call("blocked", ctx.idempotencyKey());
                        gate.await();
                    }
                    ledger.apply("do", ctx.idempotencyKey());
                    return ctx.state().with("middle");
                }))
                .step("last", step -> step.participant("c").action(ctx -> {
                    ledger.apply("do", ctx.idempotencyKey());
                    return ctx.state().with("last");
                }))
                .build();
    }

    @Test
    void aRestartedOrchestratorResumesAnUnfinishedStepWithTheSameKey() {
        CountDownLatch never = new CountDownLatch(1);
        AtomicInteger middleCalls = new AtomicInteger();
        SagaDefinition<Trip> saga = gated(never, middleCalls);
        SagaOrchestrator first = started(orchestrator("view", saga));
        first.start(saga, "g1", Trip.named("t"));
        await().atMost(Duration.ofSeconds(10)).until(() -> ledger.calls().contains("blocked gated:g1:middle"));
        first.close(); // the middle step's call is cut off: its start is recorded, its outcome is not

        SagaOrchestrator second = started(orchestrator("view", saga));
        await().atMost(Duration.ofSeconds(10)).until(() -> second.find("gated", "g1").orElseThrow().status() == SagaStatus.COMPLETED);
        assertThat(ledger.calls()).containsExactly("do gated:g1:first", "blocked gated:g1:middle", "do gated:g1:middle", "do gated:g1:last");
        assertThat(types("gated", "g1")).containsExactly("SagaStarted", "StepStarted", "StepSucceeded", "StepStarted", "StepSucceeded",
                "StepStarted", "StepSucceeded", "SagaCompleted");
        assertThat(second.view().awaitPosition(second.find("gated", "g1").orElseThrow().lastPosition(), Duration.ofSeconds(10))).isTrue();
        assertThat(second.view().find("gated", "g1").orElseThrow().status()).isEqualTo(SagaStatus.COMPLETED);
    }

    @Test
    void twoOrchestratorsNeverBothAdvanceOneSaga() throws Exception {
        CountDownLatch gate = new CountDownLatch(1);
        AtomicInteger middleCalls = new AtomicInteger();
        SagaDefinition<Trip> saga = gated(gate, middleCalls);
        SagaOrchestrator a = started(orchestrator("view-a", saga));
        SagaHandle handle = a.start(saga, "g2", Trip.named("t"));
        await().atMost(Duration.ofSeconds(10)).until(() -> ledger.calls().contains("blocked gated:g2:middle"));

        SagaOrchestrator b = started(orchestrator("view-b", saga)); // finds g2 unfinished and resumes it
        await().atMost(Duration.ofSeconds(10)).until(() -> b.find("gated", "g2").orElseThrow().status() == SagaStatus.COMPLETED);
        gate.countDown(); // a's call now returns; its append expects a version b has moved past

        assertThat(handle.finished()).failsWithin(Duration.ofSeconds(10)).withThrowableThat()
                .withCauseInstanceOf(SagaStateException.class).withMessageContaining("another orchestrator advanced it");
        assertThat(types("gated", "g2")).containsExactly("SagaStarted", "StepStarted", "StepSucceeded", "StepStarted", "StepSucceeded",
                "StepStarted", "StepSucceeded", "SagaCompleted");
        // the participant saw the middle key twice and applied it once (its own dedup)
        assertThat(ledger.calls("do gated:g2:middle")).hasSize(2);
        assertThat(ledger.calls("do gated:g2:last")).hasSize(1);
        assertThat(a.activeSagas()).isZero();
    }

    @Test
    void aRetryTimerSurvivesARestart() {
        ManualClock clock = ManualClock.atEpoch();
        AtomicBoolean down = new AtomicBoolean(true);
        SagaDefinition<Trip> saga = SagaDefinition.builder("timer", Trip.class)
                .step("call", step -> step.participant("slowpoke").action(ctx -> {
                    ledger.call("try" + ctx.attempt(), ctx.idempotencyKey());
                    if (down.get()) {
                        throw new TransientFailure("down");
                    }
                    return ctx.state().with("ok");
                }).retry(RetryPolicy.exponential(3, Duration.ofMinutes(10), Duration.ofMinutes(10)).withJitter(0)))
                .build();
        ManualScheduler firstTimers = new ManualScheduler(clock);
        SagaOrchestrator first = started(orchestrator("view", saga).clock(clock).scheduler(firstTimers));
        first.start(saga, "t1", Trip.named("t"));
        await().atMost(Duration.ofSeconds(10)).until(() -> !firstTimers.pending().isEmpty());
        assertThat(firstTimers.pending()).containsExactly(clock.instant().plus(Duration.ofMinutes(10)));
        first.close();

        down.set(false);
        clock.advance(Duration.ofMinutes(1));
        ManualScheduler secondTimers = new ManualScheduler(clock);
        SagaOrchestrator second = started(orchestrator("view", saga).clock(clock).scheduler(secondTimers));
        await().atMost(Duration.ofSeconds(10)).until(() -> !secondTimers.pending().isEmpty());
        assertThat(secondTimers.pending()).as("re-armed from the log").containsExactly(ManualClock.atEpoch().instant().plus(Duration.ofMinutes(10)));
        secondTimers.advance(Duration.ofMinutes(8));
        assertThat(ledger.calls()).as("not before the recorded retry time").containsExactly("try1 timer:t1:call");

        secondTimers.advance(Duration.ofMinutes(1));
        await().atMost(Duration.ofSeconds(10)).until(() -> second.find("timer", "t1").orElseThrow().status() == SagaStatus.COMPLETED);
        assertThat(ledger.calls()).containsExactly("try1 timer:t1:call", "try2 timer:t1:call");
    }

    /** Moves virtual time one second at a time, letting the sagas re-arm their timers in between. */
    private static void tick(ManualScheduler timers, int seconds) {
        for (int i = 0; i < seconds; i++) {
            await().atMost(Duration.ofSeconds(10)).until(() -> !timers.pending().isEmpty());
            timers.advance(Duration.ofSeconds(1));
        }
    }

    @Test
    void theCircuitBreakerOpensFailsFastOrWaitsAndProbesAfterTheCooldown() throws Exception {
        ManualClock clock = ManualClock.atEpoch();
        ManualScheduler timers = new ManualScheduler(clock);
        AtomicBoolean down = new AtomicBoolean(true);
        AtomicInteger calls = new AtomicInteger();
        StepAction<Trip> pay = ctx -> {
            calls.incrementAndGet();
            if (down.get()) {
                throw new TransientFailure("payment service down");
            }
            return ctx.state().with("paid");
        };
        SagaDefinition<Trip> failing = SagaDefinition.builder("failfast", Trip.class)
                .step("pay", step -> step.participant("payment").action(pay).whenCircuitOpen(CircuitOpenPolicy.FAIL)
                        .retry(RetryPolicy.exponential(2, Duration.ofSeconds(1), Duration.ofSeconds(1)).withJitter(0)))
                .build();
        SagaDefinition<Trip> waiting = SagaDefinition.builder("patient", Trip.class)
                .step("pay", step -> step.participant("payment").action(pay).whenCircuitOpen(CircuitOpenPolicy.WAIT))
                .build();
        SagaOrchestrator sagas = started(SagaOrchestrator.builder(store).register(failing).register(waiting)
                .viewDirectory(dir.resolve("view")).meterRegistry(new SimpleMeterRegistry()).clock(clock).scheduler(timers)
                .circuitBreaker("payment", new CircuitBreakerPolicy(50f, Duration.ofSeconds(10), 2, Duration.ofSeconds(30))));

        SagaHandle s1 = sagas.start(failing, "s1", Trip.named("t"));
        await().atMost(Duration.ofSeconds(10)).until(() -> calls.get() == 1 && !timers.pending().isEmpty());
        timers.advance(Duration.ofSeconds(1));
        assertThat(s1.finished().get(10, TimeUnit.SECONDS).status()).isEqualTo(SagaStatus.COMPENSATED);
        assertThat(calls).hasValue(2);
        assertThat(sagas.circuitState("payment")).as("2 of 2 calls failed").isEqualTo(CircuitState.OPEN);

        SagaHandle s2 = sagas.start(waiting, "s2", Trip.named("t"));
        SagaHandle s3 = sagas.start(failing, "s3", Trip.named("t"));
        await().atMost(Duration.ofSeconds(10)).until(() -> timers.pending().size() >= 2); // s2's poll, s3's retry
        tick(timers, 1);
        assertThat(s3.finished().get(10, TimeUnit.SECONDS).status()).as("fails fast, twice, without a call").isEqualTo(SagaStatus.COMPENSATED);
        assertThat(calls).as("no call while open").hasValue(2);
        List<SagaEvent.StepFailed> s3Failures = SagaLog.read(store, "failfast", "s3").stream().map(SagaLog::decode)
                .filter(SagaEvent.StepFailed.class::isInstance).map(SagaEvent.StepFailed.class::cast).toList();
        assertThat(s3Failures).extracting(SagaEvent.StepFailed::kind).containsExactly(FailureKind.CIRCUIT_OPEN, FailureKind.CIRCUIT_OPEN);

        tick(timers, 28); // now 30 s after the first call, 29 s after the breaker opened
        assertThat(calls).as("still cooling down: s2 waits").hasValue(2);
        assertThat(sagas.find("patient", "s2").orElseThrow().status()).isEqualTo(SagaStatus.RUNNING);
        assertThat(types("patient", "s2")).as("waiting is not a failure").containsExactly("SagaStarted", "StepStarted");

        down.set(false);
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20)).until(() -> {
            if (!s2.finished().isDone() && !timers.pending().isEmpty()) {
                timers.advance(Duration.ofSeconds(1));
            }
            return s2.finished().isDone();
        });
        assertThat(s2.finished().get(10, TimeUnit.SECONDS).status()).isEqualTo(SagaStatus.COMPLETED);
        assertThat(calls).as("one probe").hasValue(3);
        assertThat(sagas.circuitState("payment")).isEqualTo(CircuitState.CLOSED);
    }
}
