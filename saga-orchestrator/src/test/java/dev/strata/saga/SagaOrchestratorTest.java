package dev.strata.saga;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.strata.eventstore.Durability;
import dev.strata.eventstore.EventData;
import dev.strata.eventstore.EventStore;
import dev.strata.eventstore.ExpectedVersion;
import dev.strata.eventstore.Metadata;
import dev.strata.eventstore.RecordedEvent;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The orchestrator on a real store (Chronicle files, RocksDB index and view), with local and message participants. */
class SagaOrchestratorTest {

    private static final int STEPS = 4;

    @TempDir
    Path dir;

    private EventStore store;
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final Ledger ledger = new Ledger();
    private final Map<String, Integer> failAt = new ConcurrentHashMap<>();
    private final List<SagaOrchestrator> orchestrators = new ArrayList<>();

    @BeforeEach
    void openStore() {
        store = EventStore.builder().directory(dir.resolve("store")).durability(Durability.OS).meterRegistry(meters).open();
    }

    @AfterEach
    void close() {
        orchestrators.forEach(SagaOrchestrator::close);
        store.close();
    }

    private SagaDefinition<Trip> localSaga() {
        SagaDefinition.Builder<Trip> builder = SagaDefinition.builder("trip", Trip.class).businessKey(Trip::tripId);
        for (int i = 0; i < STEPS; i++) {
            int index = i;
            builder.step("step" + i, step -> step.participant("p" + index)
                    .action(ctx -> {
                        if (failAt.getOrDefault(ctx.sagaId(), -1) == index) {
                            ledger.call("refuse", ctx.idempotencyKey());
                            throw new PermanentFailure("step" + index + " refused");
                        }
                        ledger.apply("do", ctx.idempotencyKey());
                        return ctx.state().with(ctx.step());
                    })
                    .compensation(ctx -> ledger.apply("undo", ctx.idempotencyKey())));
        }
        return builder.build();
    }

    private SagaOrchestrator orchestrator(String name, SagaDefinition<?>... definitions) {
        SagaOrchestrator.Builder builder = SagaOrchestrator.builder(store).viewDirectory(dir.resolve("view-" + name)).meterRegistry(meters);
        for (SagaDefinition<?> definition : definitions) {
            builder.register(definition);
        }
        SagaOrchestrator orchestrator = builder.start();
        orchestrators.add(orchestrator);
        return orchestrator;
    }

    private List<String> eventTypes(String type, String id) {
        return SagaLog.read(store, type, id).stream().map(RecordedEvent::type).toList();
    }

    @Test
    void failingAtEveryStepCompensatesExactlyTheEarlierStepsInReverse() throws Exception {
        SagaDefinition<Trip> saga = localSaga();
        SagaOrchestrator sagas = orchestrator("a", saga);
        List<SagaHandle> handles = new ArrayList<>();
        for (int k = 0; k <= STEPS; k++) { // k == STEPS: no failure
            failAt.put("k" + k, k);
            handles.add(sagas.start(saga, "k" + k, Trip.named("trip-" + k)));
        }
        for (int k = 0; k <= STEPS; k++) {
            SagaSummary summary = handles.get(k).finished().get(10, TimeUnit.SECONDS);
            String id = "k" + k;
            List<String> done = IntStream.range(0, k).mapToObj(i -> "do trip:" + id + ":step" + i).toList();
            List<String> undone = new ArrayList<>(IntStream.range(0, k).mapToObj(i -> "undo trip:" + id + ":step" + i + ":compensation").toList());
            Collections.reverse(undone);
            List<String> forThisSaga = ledger.calls().stream().filter(call -> call.contains(":" + id + ":")).toList();
            List<String> expected = new ArrayList<>(done);
            if (k < STEPS) {
                expected.add("refuse trip:" + id + ":step" + k);
                expected.addAll(undone);
                assertThat(summary.status()).isEqualTo(SagaStatus.COMPENSATED);
            } else {
                assertThat(summary.status()).isEqualTo(SagaStatus.COMPLETED);
            }
            assertThat(forThisSaga).as("participant calls of saga %s", id).isEqualTo(expected);
            assertThat(sagas.find("trip", id)).get().extracting(SagaSummary::status).isEqualTo(summary.status());
        }
        assertThat(eventTypes("trip", "k2")).containsExactly("SagaStarted", "StepStarted", "StepSucceeded", "StepStarted",
                "StepSucceeded", "StepStarted", "StepFailed", "SagaCompensating", "CompensationStarted", "CompensationSucceeded",
                "CompensationStarted", "CompensationSucceeded", "SagaCompensated");
        assertThat(SagaLog.read(store, "trip", "k4")).allSatisfy(event -> {
            assertThat(event.stream()).isEqualTo("$saga-trip-k4");
            assertThat(event.metadata().correlationId()).contains("k4");
        });
        List<RecordedEvent> completedLog = SagaLog.read(store, "trip", "k4");
        SagaEvent.SagaCompleted completed = (SagaEvent.SagaCompleted) SagaLog.decode(completedLog.get(completedLog.size() - 1));
        assertThat(completed.state().get("done")).hasSize(STEPS);

        assertThat(meters.counter("strata.saga.started", "type", "trip").count()).isEqualTo(5);
        assertThat(meters.counter("strata.saga.completed", "type", "trip").count()).isEqualTo(1);
        assertThat(meters.counter("strata.saga.compensated", "type", "trip").count()).isEqualTo(4);
        assertThat(meters.find("strata.saga.step.latency").tags("step", "step0", "phase", "action", "outcome", "succeeded").timer().count())
                .isEqualTo(4);
    }

    @Test
    void theViewFindsSagasByIdTypeStatusAndBusinessKey() {
        SagaDefinition<Trip> saga = localSaga();
        SagaOrchestrator sagas = orchestrator("a", saga);
        failAt.put("bad", 1);
        SagaSummary good = sagas.start(saga, "good", Trip.named("biz-1")).finished().join();
        SagaSummary bad = sagas.start(saga, "bad", Trip.named("biz-2")).finished().join();
        SagaView view = sagas.view();
        assertThat(view.awaitPosition(Math.max(good.lastPosition(), bad.lastPosition()), Duration.ofSeconds(10))).isTrue();

        assertThat(view.find("trip", "good")).get().satisfies(row -> {
            assertThat(row.status()).isEqualTo(SagaStatus.COMPLETED);
            assertThat(row.businessKey()).isEqualTo("biz-1");
            assertThat(row.step()).isEqualTo("step3");
            assertThat(row.version()).isEqualTo(good.version());
        });
        assertThat(view.search(SagaQuery.all().status(SagaStatus.COMPENSATED))).extracting(SagaSummary::sagaId).containsExactly("bad");
        assertThat(view.search(SagaQuery.all().businessKey("biz-2"))).extracting(SagaSummary::sagaId).containsExactly("bad");
        assertThat(view.search(SagaQuery.all().id("good"))).extracting(SagaSummary::sagaType).containsExactly("trip");
        assertThat(view.search(SagaQuery.all().type("trip"))).hasSize(2);
        assertThat(view.search(SagaQuery.all().type("trip").status(SagaStatus.RUNNING))).isEmpty();
        assertThat(view.search(SagaQuery.all().limit(1))).hasSize(1);
        assertThat(view.find("bad", "good")).isEmpty();
        assertThat(view.find("trip", "bad").orElseThrow().reason()).contains("step1 refused");
    }

    @Test
    void transientFailuresAndTimeoutsAreRetriedWithTheSameKey() throws Exception {
        AtomicInteger tries = new AtomicInteger();
        SagaDefinition<Trip> saga = SagaDefinition.builder("slow", Trip.class)
                .step("flaky", step -> step.participant("flaky")
                        .action(ctx -> {
                            ledger.call("try" + ctx.attempt(), ctx.idempotencyKey());
                            int attempt = tries.incrementAndGet();
                            if (attempt == 1) {
                                throw new TransientFailure("busy");
                            }
                            if (attempt == 2) {
                                Thread.sleep(5_000); // longer than the timeout: interrupted when it fires
                            }
                            return ctx.state().with("ok");
                        })
                        .timeout(Duration.ofMillis(300))
                        .retry(RetryPolicy.exponential(4, Duration.ofMillis(20), Duration.ofMillis(50))))
                .build();
        SagaOrchestrator sagas = orchestrator("a", saga);
        SagaSummary summary = sagas.start(saga, "s1", Trip.named("t")).finished().get(10, TimeUnit.SECONDS);
        assertThat(summary.status()).isEqualTo(SagaStatus.COMPLETED);
        assertThat(ledger.calls()).containsExactly("try1 slow:s1:flaky", "try2 slow:s1:flaky", "try3 slow:s1:flaky");
        List<SagaEvent> events = SagaLog.read(store, "slow", "s1").stream().map(SagaLog::decode).toList();
        assertThat(events).filteredOn(SagaEvent.StepFailed.class::isInstance).extracting(e -> ((SagaEvent.StepFailed) e).kind())
                .containsExactly(FailureKind.TRANSIENT, FailureKind.TIMEOUT);
        assertThat(events).filteredOn(SagaEvent.StepStarted.class::isInstance)
                .extracting(e -> ((SagaEvent.StepStarted) e).idempotencyKey()).containsOnly("slow:s1:flaky");
    }

    @Test
    void aStuckSagaIsVisibleAndCanBeRetriedFromTheApi() throws Exception {
        AtomicBoolean refundWorks = new AtomicBoolean(false);
        SagaDefinition<Trip> saga = SagaDefinition.builder("refund", Trip.class)
                .step("charge", step -> step.participant("payment").action(ctx -> ctx.state().with("charged"))
                        .compensation(ctx -> {
                            if (!refundWorks.get()) {
                                throw new TransientFailure("refund service down");
                            }
                            ledger.apply("refund", ctx.idempotencyKey());
                        })
                        .compensationRetry(RetryPolicy.exponential(2, Duration.ofMillis(10), Duration.ofMillis(10))))
                .step("ship", step -> step.participant("shipping").action(ctx -> {
                    throw new PermanentFailure("no courier");
                }))
                .build();
        SagaOrchestrator sagas = orchestrator("a", saga);
        SagaSummary stuck = sagas.start(saga, "r1", Trip.named("t")).finished().get(10, TimeUnit.SECONDS);
        assertThat(stuck.status()).isEqualTo(SagaStatus.STUCK);
        assertThat(stuck.step()).isEqualTo("charge");
        assertThat(stuck.reason()).contains("refund service down");
        assertThat(meters.counter("strata.saga.stuck", "type", "refund").count()).isEqualTo(1);
        assertThat(sagas.view().awaitPosition(stuck.lastPosition(), Duration.ofSeconds(10))).isTrue();
        assertThat(sagas.view().search(SagaQuery.all().status(SagaStatus.STUCK))).extracting(SagaSummary::sagaId).containsExactly("r1");

        assertThatThrownBy(() -> sagas.retry("refund", "nope", "x")).isInstanceOf(SagaNotFoundException.class);
        refundWorks.set(true);
        SagaSummary retried = sagas.retry("refund", "r1", "refund service is back").finished().get(10, TimeUnit.SECONDS);
        assertThat(retried.status()).isEqualTo(SagaStatus.COMPENSATED);
        assertThat(ledger.calls("refund")).containsExactly("refund refund:r1:charge:compensation");
        assertThat(eventTypes("refund", "r1")).containsSubsequence("SagaStuck", "SagaRetried", "CompensationStarted",
                "CompensationSucceeded", "SagaCompensated");
        assertThatThrownBy(() -> sagas.retry("refund", "r1", "again"))
                .isInstanceOf(SagaStateException.class).hasMessageContaining("is COMPENSATED");
    }

    @Test
    void messageParticipantsGetCommandsThroughTheStoreAndADuplicateReplyIsAppliedOnce() throws Exception {
        AtomicInteger replyHandled = new AtomicInteger();
        SagaDefinition<Trip> saga = SagaDefinition.builder("order", Trip.class)
                .step("charge", step -> step.participant("payment")
                        .command(ctx -> ParticipantCommand.of("ChargeCard", Map.of("trip", ctx.state().tripId(), "amount", 42)))
                        .onReply((ctx, reply) -> {
                            replyHandled.incrementAndGet();
                            return ctx.state().with(reply.type());
                        })
                        .compensationCommand(ctx -> ParticipantCommand.of("RefundCard", Map.of("trip", ctx.state().tripId())))
                        .timeout(Duration.ofSeconds(10)))
                .step("ship", step -> step.participant("shipping").action(ctx -> {
                    if (ctx.state().tripId().startsWith("fail")) {
                        throw new PermanentFailure("no courier");
                    }
                    return ctx.state().with("shipped");
                }))
                .build();
        Ledger payments = new Ledger();
        try (ParticipantEndpoint endpoint = ParticipantEndpoint.start(store, "payment", 0, request -> {
            boolean first = payments.apply(request.type(), request.idempotencyKey());
            if (request.type().equals("ChargeCard") && first) {
                // a participant that answers twice, with two different event ids: the saga must apply one
                store.append(SagaMessages.replyStream("payment"), ExpectedVersion.any(),
                        ParticipantReply.success("Charged", "{}").toEvent(request).withId(UUID.randomUUID()));
            }
            return ParticipantReply.success(request.compensation() ? "Refunded" : "Charged", "{\"ok\":true}");
        })) {
            SagaOrchestrator sagas = orchestrator("a", saga);
            SagaSummary ok = sagas.start(saga, "o1", Trip.named("ok-1")).finished().get(10, TimeUnit.SECONDS);
            assertThat(ok.status()).isEqualTo(SagaStatus.COMPLETED);
            assertThat(replyHandled).hasValue(1);
            assertThat(eventTypes("order", "o1")).containsExactly("SagaStarted", "StepStarted", "StepSucceeded", "StepStarted",
                    "StepSucceeded", "SagaCompleted");

            SagaSummary failed = sagas.start(saga, "o2", Trip.named("fail-2")).finished().get(10, TimeUnit.SECONDS);
            assertThat(failed.status()).isEqualTo(SagaStatus.COMPENSATED);
            assertThat(payments.calls()).containsExactly("ChargeCard order:o1:charge", "ChargeCard order:o2:charge",
                    "RefundCard order:o2:charge:compensation");

            List<RecordedEvent> commands = store.readStream(SagaMessages.commandStream("payment"), 0,
                    dev.strata.eventstore.Direction.FORWARD, 100).toList();
            assertThat(commands).extracting(RecordedEvent::type).containsExactly("ChargeCard", "ChargeCard", "RefundCard");
            ParticipantRequest request = ParticipantRequest.from(commands.get(0));
            assertThat(request.sagaId()).isEqualTo("o1");
            assertThat(request.idempotencyKey()).isEqualTo("order:o1:charge");
            assertThat(request.json()).contains("\"amount\":42");
            assertThat(commands.get(0).metadata().causationId()).isPresent();
        }
    }

    @Test
    void startingAnExistingSagaOrAnUnregisteredDefinitionIsRefused() throws Exception {
        SagaDefinition<Trip> saga = localSaga();
        SagaOrchestrator sagas = orchestrator("a", saga);
        sagas.start(saga, "x", Trip.named("t")).finished().get(10, TimeUnit.SECONDS);
        SagaHandle again = sagas.start(saga, "x", Trip.named("t"));
        assertThat(again.started()).failsWithin(Duration.ofSeconds(10)).withThrowableThat()
                .withCauseInstanceOf(SagaStateException.class).withMessageContaining("already exists");
        assertThat(eventTypes("trip", "x")).first().isEqualTo("SagaStarted");
        assertThat(eventTypes("trip", "x")).filteredOn("SagaStarted"::equals).hasSize(1);

        SagaDefinition<Trip> other = SagaDefinition.builder("other", Trip.class)
                .step("a", step -> step.participant("p").action(ctx -> ctx.state())).build();
        assertThatThrownBy(() -> sagas.start(other, "y", Trip.named("t")))
                .isInstanceOf(SagaValidationException.class).hasMessageContaining("must be registered");
        assertThatThrownBy(() -> sagas.start(saga, "bad id", Trip.named("t")))
                .isInstanceOf(SagaValidationException.class).hasMessageContaining("sagaId must match");
        assertThatThrownBy(() -> store.append("$saga-trip-x", ExpectedVersion.any(), EventData.json("SagaStarted", "{}")))
                .hasMessageContaining("reserved for system streams");
        assertThatThrownBy(() -> SagaOrchestrator.builder(store).register(saga).start())
                .isInstanceOf(SagaValidationException.class).hasMessageContaining("viewDirectory must not be null");
    }

    @Test
    void theTraceparentOfTheCallerIsCarriedInTheSagaLog() throws Exception {
        SagaDefinition<Trip> saga = localSaga();
        SagaOrchestrator sagas = orchestrator("a", saga);
        String trace = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
        sagas.start(saga, "traced", Trip.named("t"), Metadata.empty().with(Metadata.TRACEPARENT, trace)).finished().get(10, TimeUnit.SECONDS);
        assertThat(SagaLog.read(store, "trip", "traced")).allSatisfy(event ->
                assertThat(event.metadata().traceparent()).contains(trace));
    }

    @Test
    void manySagasRunConcurrently() throws Exception {
        SagaDefinition<Trip> saga = localSaga();
        SagaOrchestrator sagas = orchestrator("a", saga);
        List<SagaHandle> handles = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            if (i % 7 == 0) {
                failAt.put("m" + i, i % STEPS);
            }
            handles.add(sagas.start(saga, "m" + i, Trip.named("t" + i)));
        }
        long last = -1;
        for (SagaHandle handle : handles) {
            SagaSummary summary = handle.finished().get(30, TimeUnit.SECONDS);
            assertThat(summary.status()).isEqualTo(failAt.containsKey(handle.sagaId()) ? SagaStatus.COMPENSATED : SagaStatus.COMPLETED);
            last = Math.max(last, summary.lastPosition());
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> sagas.activeSagas() == 0);
        // every index entry of an earlier status was replaced: the view counts each saga once, in its final status
        assertThat(sagas.view().awaitPosition(last, Duration.ofSeconds(30))).isTrue();
        assertThat(sagas.view().search(SagaQuery.all().type("trip").limit(1000))).hasSize(300);
        assertThat(sagas.view().search(SagaQuery.all().status(SagaStatus.COMPENSATED).limit(1000))).hasSize(failAt.size());
        assertThat(sagas.view().search(SagaQuery.all().status(SagaStatus.RUNNING).limit(1000))).isEmpty();
        assertThat(sagas.view().search(SagaQuery.all().type("trip").status(SagaStatus.COMPLETED).limit(7))).hasSize(7);
    }
}
