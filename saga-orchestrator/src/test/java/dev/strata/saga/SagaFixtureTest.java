package dev.strata.saga;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.strata.saga.SagaEvent.CompensationStarted;
import dev.strata.saga.SagaEvent.CompensationSucceeded;
import dev.strata.saga.SagaEvent.SagaCompensated;
import dev.strata.saga.SagaEvent.SagaCompensating;
import dev.strata.saga.SagaEvent.SagaCompleted;
import dev.strata.saga.SagaEvent.SagaStarted;
import dev.strata.saga.SagaEvent.StepFailed;
import dev.strata.saga.SagaEvent.StepStarted;
import dev.strata.saga.SagaEvent.StepSucceeded;
import dev.strata.saga.testing.SagaFixture;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The saga rules, through the fixture users get: no store, virtual time. */
class SagaFixtureTest {

    private final List<String> effects = Collections.synchronizedList(new ArrayList<>());

    private SagaDefinition<Trip> trip(int steps) {
        SagaDefinition.Builder<Trip> builder = SagaDefinition.builder("trip", Trip.class).businessKey(Trip::tripId);
        for (int i = 0; i < steps; i++) {
            String name = "step" + i;
            builder.step(name, step -> step.participant("p" + name)
                    .action(ctx -> {
                        effects.add("do " + ctx.step() + " " + ctx.idempotencyKey());
                        return ctx.state().with(ctx.step());
                    })
                    .compensation(ctx -> effects.add("undo " + ctx.step() + " " + ctx.idempotencyKey()))
                    .retry(RetryPolicy.exponential(3, Duration.ofMillis(100), Duration.ofSeconds(1)))
                    .compensationRetry(RetryPolicy.exponential(2, Duration.ofMillis(100), Duration.ofSeconds(1))));
        }
        return builder.build();
    }

    @Test
    void happyPathRunsEveryStepInOrderAndPassesTheStateAlong() {
        SagaFixture.Result<Trip> result = SagaFixture.of(trip(3)).given(Trip.named("t-1")).run()
                .thenStatus(SagaStatus.COMPLETED)
                .thenSucceeded("step0", "step1", "step2")
                .thenCompensated()
                .thenState(new Trip("t-1", List.of("step0", "step1", "step2")))
                .thenEvents(SagaStarted.class, StepStarted.class, StepSucceeded.class, StepStarted.class, StepSucceeded.class,
                        StepStarted.class, StepSucceeded.class, SagaCompleted.class);
        assertThat(effects).containsExactly("do step0 trip:saga-1:step0", "do step1 trip:saga-1:step1", "do step2 trip:saga-1:step2");
        assertThat(result.elapsed()).isZero();
    }

    @Test
    void aPermanentFailureAtStepKCompensatesExactlyTheStepsBeforeItInReverse() {
        int steps = 5;
        for (int k = 0; k < steps; k++) {
            effects.clear();
            String failing = "step" + k;
            SagaFixture.Result<Trip> result = SagaFixture.of(trip(steps)).given(Trip.named("t"))
                    .whenStepFails(failing, new PermanentFailure("no"))
                    .run()
                    .thenStatus(SagaStatus.COMPENSATED)
                    .thenTried(failing, 1);
            List<String> before = IntStream.range(0, k).mapToObj(i -> "step" + i).toList();
            List<String> reversed = new ArrayList<>(before);
            Collections.reverse(reversed);
            assertThat(result.succeeded()).as("k=%d", k).isEqualTo(before);
            assertThat(result.compensated()).as("k=%d", k).isEqualTo(reversed);
            assertThat(effects.stream().filter(e -> e.startsWith("undo")).map(e -> e.split(" ")[1]).toList())
                    .as("compensations run at k=%d", k).isEqualTo(reversed);
        }
    }

    @Test
    void transientFailuresAreRetriedWithTheSameKeyThenSucceed() {
        SagaFixture.Result<Trip> result = SagaFixture.of(trip(2)).given(Trip.named("t"))
                .whenStepFailsTimes("step1", 2, new TransientFailure("busy"))
                .run()
                .thenStatus(SagaStatus.COMPLETED)
                .thenTried("step1", 3);
        assertThat(result.calls()).filteredOn(call -> call.step().equals("step1"))
                .extracting(SagaFixture.Call::idempotencyKey).containsOnly("trip:saga-1:step1");
        assertThat(result.calls()).filteredOn(call -> call.step().equals("step1"))
                .extracting(SagaFixture.Call::attempt).containsExactly(1, 2, 3);
        // two backoffs: 100 ms and 200 ms, each shortened by up to half (jitter)
        assertThat(result.elapsed()).isBetween(Duration.ofMillis(150), Duration.ofMillis(300));
        assertThat(result.events()).filteredOn(StepFailed.class::isInstance).hasSize(2)
                .allSatisfy(event -> assertThat(((StepFailed) event).retryAt()).isNotNull());
    }

    @Test
    void exhaustedRetriesCompensate() {
        SagaFixture.of(trip(3)).given(Trip.named("t"))
                .whenStepFails("step2", new TransientFailure("down"))
                .run()
                .thenStatus(SagaStatus.COMPENSATED)
                .thenTried("step2", 3)
                .thenCompensated("step1", "step0");
    }

    @Test
    void anUnknownExceptionCountsAsTransient() {
        SagaDefinition<Trip> saga = SagaDefinition.builder("trip", Trip.class)
                .step("flaky", step -> step.participant("p").action(ctx -> {
                    if (ctx.attempt() < 2) {
                        throw new IllegalStateException("socket reset");
                    }
                    return ctx.state().with("ok");
                }))
                .build();
        SagaFixture.of(saga).given(Trip.named("t")).run().thenStatus(SagaStatus.COMPLETED).thenTried("flaky", 2);
    }

    @Test
    void aTimedOutStepIsCompensatedTooBecauseItsOutcomeIsUnknown() {
        SagaDefinition<Trip> saga = SagaDefinition.builder("trip", Trip.class)
                .step("a", step -> step.participant("pa").action(ctx -> ctx.state().with("a")).compensation(ctx -> { }))
                .step("b", step -> step.participant("pb").action(ctx -> ctx.state().with("b")).compensation(ctx -> { })
                        .timeout(Duration.ofSeconds(2)).retry(RetryPolicy.exponential(2, Duration.ofMillis(10), Duration.ofMillis(10))))
                .build();
        SagaFixture.Result<Trip> result = SagaFixture.of(saga).given(Trip.named("t"))
                .whenStepTimesOut("b", 2)
                .run()
                .thenStatus(SagaStatus.COMPENSATED)
                .thenCompensated("b", "a");
        assertThat(result.events()).filteredOn(StepFailed.class::isInstance).extracting(e -> ((StepFailed) e).kind())
                .containsExactly(FailureKind.TIMEOUT, FailureKind.TIMEOUT);
        assertThat(result.elapsed()).isGreaterThanOrEqualTo(Duration.ofSeconds(4));
    }

    @Test
    void stepsWithoutCompensationAreSkippedWhenCompensating() {
        SagaDefinition<Trip> saga = SagaDefinition.builder("trip", Trip.class)
                .step("a", step -> step.participant("pa").action(ctx -> ctx.state().with("a")).compensation(ctx -> { }))
                .step("notify", step -> step.participant("mail").action(ctx -> ctx.state().with("mail")))
                .step("c", step -> step.participant("pc").action(ctx -> ctx.state()))
                .build();
        SagaFixture.of(saga).given(Trip.named("t"))
                .whenStepFails("c", new PermanentFailure("no"))
                .run()
                .thenStatus(SagaStatus.COMPENSATED)
                .thenCompensated("a")
                .thenEvents(SagaStarted.class, StepStarted.class, StepSucceeded.class, StepStarted.class, StepSucceeded.class,
                        StepStarted.class, StepFailed.class, SagaCompensating.class, CompensationStarted.class,
                        CompensationSucceeded.class, SagaCompensated.class);
    }

    @Test
    void aCompensationThatKeepsFailingLeavesTheSagaStuckUntilRetried() {
        SagaFixture.Result<Trip> stuck = SagaFixture.of(trip(3)).given(Trip.named("t"))
                .whenStepFails("step2", new PermanentFailure("no"))
                .whenCompensationFailsTimes("step1", 3, new TransientFailure("refund service down"))
                .run()
                .thenStatus(SagaStatus.STUCK)
                .thenStuckAt("step1")
                .thenCompensated();
        assertThat(stuck.reason()).contains("step1").contains("refund service down");

        // the policy allows 2 tries; the operator's retry gets 2 more: the 3rd fails, the 4th succeeds
        stuck.whenRetried()
                .thenStatus(SagaStatus.COMPENSATED)
                .thenCompensated("step1", "step0");
    }

    @Test
    void aPermanentCompensationFailureIsStuckAtOnce() {
        SagaFixture.of(trip(2)).given(Trip.named("t"))
                .whenStepFails("step1", new PermanentFailure("no"))
                .whenCompensationFails("step0", new PermanentFailure("cannot refund a closed account"))
                .run()
                .thenStatus(SagaStatus.STUCK)
                .thenStuckAt("step0");
    }

    @Test
    void theDeadlineCompensatesASagaThatKeepsRetrying() {
        SagaDefinition<Trip> saga = SagaDefinition.builder("trip", Trip.class)
                .deadline(Duration.ofSeconds(1))
                .step("a", step -> step.participant("pa").action(ctx -> ctx.state().with("a")).compensation(ctx -> { }))
                .step("b", step -> step.participant("pb").action(ctx -> ctx.state())
                        .retry(RetryPolicy.exponential(100, Duration.ofMillis(400), Duration.ofMillis(400)).withJitter(0)))
                .build();
        SagaFixture.Result<Trip> result = SagaFixture.of(saga).given(Trip.named("t"))
                .whenStepFails("b", new TransientFailure("busy"))
                .run()
                .thenStatus(SagaStatus.COMPENSATED)
                .thenCompensated("a");
        assertThat(result.elapsed()).isEqualTo(Duration.ofSeconds(1));
        assertThat(result.reason()).contains("deadline");
    }

    @Test
    void messageStepsUseTheReplyToBuildTheState() {
        SagaDefinition<Trip> saga = SagaDefinition.builder("trip", Trip.class)
                .step("pay", step -> step.participant("payment")
                        .command(ctx -> ParticipantCommand.of("Charge", java.util.Map.of("trip", ctx.state().tripId())))
                        .onReply((ctx, reply) -> ctx.state().with(reply.json()))
                        .compensationCommand(ctx -> ParticipantCommand.of("Refund", java.util.Map.of())))
                .step("ship", step -> step.participant("shipping").action(ctx -> ctx.state().with("shipped")))
                .build();
        SagaFixture.of(saga).given(Trip.named("t"))
                .whenReply("pay", ParticipantReply.success("Charged", "{\"auth\":\"A1\"}"))
                .run()
                .thenStatus(SagaStatus.COMPLETED)
                .thenState(new Trip("t", List.of("{\"auth\":\"A1\"}", "shipped")));
        SagaFixture.of(saga).given(Trip.named("t"))
                .whenReply("pay", ParticipantReply.permanentFailure("card declined"))
                .run()
                .thenStatus(SagaStatus.COMPENSATED)
                .thenCompensated();
    }

    @Test
    void failedExpectationsSayWhatHappened() {
        SagaFixture.Result<Trip> result = SagaFixture.of(trip(1)).given(Trip.named("t")).run();
        assertThatThrownBy(() -> result.thenStatus(SagaStatus.COMPENSATED))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("expected status COMPENSATED but was COMPLETED");
        assertThatThrownBy(() -> SagaFixture.of(trip(1)).whenStepFails("nope", new PermanentFailure("x")))
                .isInstanceOf(SagaValidationException.class)
                .hasMessageContaining("step must be a step of saga trip");
    }
}
