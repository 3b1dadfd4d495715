package dev.strata.saga.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.strata.eventstore.EventData;
import dev.strata.eventstore.Metadata;
import dev.strata.eventstore.RecordedEvent;
import dev.strata.saga.FailureKind;
import dev.strata.saga.ParticipantReply;
import dev.strata.saga.SagaDefinition;
import dev.strata.saga.SagaEvent;
import dev.strata.saga.SagaException;
import dev.strata.saga.SagaLog;
import dev.strata.saga.SagaStatus;
import dev.strata.saga.SagaValidationException;
import dev.strata.saga.StepDefinition;
import dev.strata.saga.internal.SagaEventCodec;
import dev.strata.saga.internal.SagaInstance;
import dev.strata.saga.internal.SagaJson;
import dev.strata.saga.internal.SagaMachine;
import dev.strata.saga.internal.SagaMachine.Next;
import dev.strata.saga.internal.SagaMachine.Outcome;
import dev.strata.saga.internal.StepCalls;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.function.Predicate;

/**
 * Given/when/then tests for a {@link SagaDefinition}, without a store or threads: the fixture runs the orchestrator's
 * own rules on virtual time, calling the definition's real local actions and compensations unless a {@code when...}
 * makes a step fail, time out or answer otherwise. Every recorded event makes a round trip through its JSON form, so
 * a state that does not serialize fails here rather than in production.
 *
 * <pre>{@code
 * SagaFixture.of(orderSaga)
 *     .given(new Order("o-1", 2))
 *     .whenStepFails("charge", new PermanentFailure("card declined"))
 *     .run()
 *     .thenStatus(SagaStatus.COMPENSATED)
 *     .thenSucceeded("reserve")
 *     .thenCompensated("reserve");
 * }</pre>
 *
 * Message steps (reached through the store) answer with {@link ParticipantReply#success()} unless
 * {@link #whenReply} says otherwise. Failed checks throw {@link AssertionError}.
 */
public final class SagaFixture<S> {

    private static final int MAX_TRANSITIONS = 100_000;

    private final SagaDefinition<S> definition;
    private final ObjectMapper mapper = SagaJson.mapper();
    private final Map<String, List<Behaviour>> actions = new HashMap<>();
    private final Map<String, List<Behaviour>> compensations = new HashMap<>();
    private final Map<String, ParticipantReply> replies = new HashMap<>();
    private S initialState;
    private String sagaId = "saga-1";
    private long seed = 42;
    private Instant start = Instant.parse("2026-01-01T00:00:00Z");

    private SagaFixture(SagaDefinition<S> definition) {
        this.definition = Objects.requireNonNull(definition, "definition");
    }

    public static <S> SagaFixture<S> of(SagaDefinition<S> definition) {
        return new SagaFixture<>(definition);
    }

    /** The saga's initial state. Required. */
    public SagaFixture<S> given(S state) {
        this.initialState = state;
        return this;
    }

    public SagaFixture<S> givenSagaId(String id) {
        this.sagaId = SagaLog.requireId(id);
        return this;
    }

    /** The seed of the backoff jitter (42 by default). */
    public SagaFixture<S> givenSeed(long jitterSeed) {
        this.seed = jitterSeed;
        return this;
    }

    /** Every try of {@code step}'s action fails with {@code failure}. */
    public SagaFixture<S> whenStepFails(String step, SagaException failure) {
        return whenStepFailsTimes(step, Integer.MAX_VALUE, failure);
    }

    /** The first {@code times} tries of {@code step}'s action fail with {@code failure}; later tries run the real action. */
    public SagaFixture<S> whenStepFailsTimes(String step, int times, SagaException failure) {
        actions.computeIfAbsent(requireStep(step), key -> new ArrayList<>()).add(new Behaviour(times, failure, false));
        return this;
    }

    /** The first {@code times} tries of {@code step}'s action give no outcome within the step's timeout. */
    public SagaFixture<S> whenStepTimesOut(String step, int times) {
        actions.computeIfAbsent(requireStep(step), key -> new ArrayList<>()).add(new Behaviour(times, null, true));
        return this;
    }

    /** Every try of {@code step}'s compensation fails with {@code failure}. */
    public SagaFixture<S> whenCompensationFails(String step, SagaException failure) {
        return whenCompensationFailsTimes(step, Integer.MAX_VALUE, failure);
    }

    public SagaFixture<S> whenCompensationFailsTimes(String step, int times, SagaException failure) {
        compensations.computeIfAbsent(requireStep(step), key -> new ArrayList<>()).add(new Behaviour(times, failure, false));
        return this;
    }

    /** The participant of message step {@code step} answers its command with {@code reply}. */
    public SagaFixture<S> whenReply(String step, ParticipantReply reply) {
        replies.put(requireStep(step), reply);
        return this;
    }

    /** Runs the saga until it is completed, compensated or stuck, on virtual time. */
    public Result<S> run() {
        if (initialState == null) {
            throw new SagaValidationException("given", null, "must set the saga's initial state (given(...))");
        }
        Run run = new Run();
        JsonNode state = mapper.valueToTree(initialState);
        run.record(SagaMachine.start(definition, sagaId, definition.businessKey(initialState).orElse(null), state, run.now));
        return run.drive();
    }

    private String requireStep(String step) {
        if (definition.step(step).isEmpty()) {
            throw new SagaValidationException("step", step, "must be a step of saga " + definition.type()
                    + " " + definition.steps().stream().map(StepDefinition::name).toList());
        }
        return step;
    }

    private static final class Behaviour {
        int remaining;
        final SagaException failure;
        final boolean timeout;

        Behaviour(int times, SagaException failure, boolean timeout) {
            this.remaining = times;
            this.failure = failure;
            this.timeout = timeout;
        }
    }

    /** One call the saga made to a participant. */
    public record Call(String step, boolean compensation, int attempt, String idempotencyKey, boolean succeeded) {
    }

    private final class Run {
        final SagaInstance saga = new SagaInstance();
        final List<SagaEvent> events = new ArrayList<>();
        final List<Call> calls = new ArrayList<>();
        final Random random = new Random(seed);
        Instant now = start;
        long position;

        void record(List<SagaEvent> recorded) {
            for (SagaEvent event : recorded) {
                // through JSON and back, as the orchestrator's store would
                EventData data = SagaEventCodec.encode(event, Metadata.empty());
                RecordedEvent stored = new RecordedEvent(data.id(), SagaLog.streamName(definition.type(), sagaId), saga.version() + 1,
                        position++, data.type(), now, data.contentType(), data.metadata(), data.data());
                SagaEvent decoded = SagaEventCodec.decode(stored);
                saga.apply(decoded, stored.version(), stored.position(), stored.id(), now);
                events.add(decoded);
            }
        }

        Result<S> drive() {
            for (int i = 0; i < MAX_TRANSITIONS; i++) {
                Next next = SagaMachine.next(saga, definition, now);
                if (next instanceof Next.Record record) {
                    record(record.events());
                } else if (next instanceof Next.WaitUntil wait) {
                    now = wait.at();
                } else if (next instanceof Next.Invoke invoke) {
                    Outcome outcome = invoke(invoke);
                    calls.add(new Call(invoke.step().name(), invoke.compensation(), invoke.attempt(), invoke.idempotencyKey(),
                            outcome instanceof Outcome.Succeeded));
                    record(SagaMachine.onOutcome(saga, definition, outcome, now, random));
                } else {
                    return new Result<>(definition, saga, List.copyOf(events), List.copyOf(calls), Duration.between(start, now), this);
                }
            }
            throw new AssertionError("saga " + definition.type() + "/" + sagaId + " did not settle within " + MAX_TRANSITIONS
                    + " transitions (a retry policy without end?)");
        }

        private Outcome invoke(Next.Invoke invoke) {
            String name = invoke.step().name();
            Behaviour behaviour = scripted(invoke.compensation() ? compensations.get(name) : actions.get(name));
            if (behaviour != null && behaviour.timeout) {
                Instant timer = invoke.firstTimer();
                if (timer != null && timer.isAfter(now)) {
                    now = timer;
                }
                boolean timeout = invoke.timeoutAt() == null || !now.isBefore(invoke.timeoutAt());
                return new Outcome.Failed(timeout ? FailureKind.TIMEOUT : FailureKind.DEADLINE, "timed out (scripted)", 0);
            }
            if (behaviour != null) {
                return new Outcome.Failed(StepCalls.classify(behaviour.failure), StepCalls.describe(behaviour.failure), 0);
            }
            boolean message = invoke.compensation() ? invoke.step().isCompensationMessage() : invoke.step().isMessage();
            try {
                if (message) {
                    // the command must build, as the orchestrator would send it
                    StepCalls.command(mapper, definition, invoke.step(), invoke.compensation(), sagaId, invoke.idempotencyKey(),
                            invoke.attempt(), saga.state());
                    ParticipantReply reply = invoke.compensation() ? ParticipantReply.success()
                            : replies.getOrDefault(name, ParticipantReply.success());
                    if (!reply.succeeded()) {
                        FailureKind kind = reply.outcome() == ParticipantReply.Outcome.PERMANENT_FAILURE ? FailureKind.PERMANENT : FailureKind.TRANSIENT;
                        return new Outcome.Failed(kind, reply.reason(), 0);
                    }
                    JsonNode next = invoke.compensation() ? saga.state()
                            : StepCalls.reply(mapper, definition, invoke.step(), sagaId, invoke.idempotencyKey(), invoke.attempt(), saga.state(), reply);
                    return new Outcome.Succeeded(next, 0);
                }
                if (invoke.compensation()) {
                    StepCalls.compensation(mapper, definition, invoke.step(), sagaId, invoke.idempotencyKey(), invoke.attempt(), saga.state());
                    return new Outcome.Succeeded(saga.state(), 0);
                }
                return new Outcome.Succeeded(StepCalls.action(mapper, definition, invoke.step(), sagaId, invoke.idempotencyKey(),
                        invoke.attempt(), saga.state()), 0);
            } catch (Exception e) {
                return new Outcome.Failed(StepCalls.classify(e), StepCalls.describe(e), 0);
            }
        }

        private Behaviour scripted(List<Behaviour> behaviours) {
            if (behaviours == null) {
                return null;
            }
            for (Behaviour behaviour : behaviours) {
                if (behaviour.remaining > 0) {
                    behaviour.remaining--;
                    return behaviour;
                }
            }
            return null;
        }

        Result<S> retry(String reason) {
            if (saga.status() != SagaStatus.STUCK) {
                throw new AssertionError("only a STUCK saga can be retried, but it is " + saga.status());
            }
            record(List.of(new SagaEvent.SagaRetried(reason)));
            return drive();
        }
    }

    /** Where the saga ended, and what happened on the way: the "then" of a test. */
    public static final class Result<S> {

        private final SagaDefinition<S> definition;
        private final SagaInstance saga;
        private final List<SagaEvent> events;
        private final List<Call> calls;
        private final Duration elapsed;
        private final SagaFixture<S>.Run run;

        private Result(SagaDefinition<S> definition, SagaInstance saga, List<SagaEvent> events, List<Call> calls, Duration elapsed,
                       SagaFixture<S>.Run run) {
            this.definition = definition;
            this.saga = saga;
            this.events = events;
            this.calls = calls;
            this.elapsed = elapsed;
            this.run = run;
        }

        public SagaStatus status() {
            return saga.status();
        }

        /** The saga's final state. */
        public S state() {
            return StepCalls.decode(SagaJson.mapper(), definition, saga.state());
        }

        /** Every transition, in order, as the saga's stream would hold them. */
        public List<SagaEvent> events() {
            return events;
        }

        /** Every call made to participants (actions and compensations), in order. */
        public List<Call> calls() {
            return calls;
        }

        /** Steps whose action succeeded, in order. */
        public List<String> succeeded() {
            return saga.succeeded();
        }

        /** Steps compensated, in the order the compensations succeeded. */
        public List<String> compensated() {
            return saga.compensated();
        }

        /** Virtual time the saga took (backoffs, timeouts). */
        public Duration elapsed() {
            return elapsed;
        }

        public String reason() {
            return saga.reason();
        }

        public Result<S> thenStatus(SagaStatus expected) {
            check(saga.status() == expected, "status " + expected, saga.status());
            return this;
        }

        public Result<S> thenState(S expected) {
            S actual = state();
            check(Objects.equals(actual, expected), "state " + expected, actual);
            return this;
        }

        public Result<S> thenState(Predicate<S> condition, String description) {
            S actual = state();
            check(condition.test(actual), "state where " + description, actual);
            return this;
        }

        /** Exactly these steps succeeded, in this order. */
        public Result<S> thenSucceeded(String... steps) {
            check(saga.succeeded().equals(Arrays.asList(steps)), "succeeded steps " + Arrays.asList(steps), saga.succeeded());
            return this;
        }

        /** Exactly these steps were compensated, in this order. */
        public Result<S> thenCompensated(String... steps) {
            check(saga.compensated().equals(Arrays.asList(steps)), "compensated steps " + Arrays.asList(steps), saga.compensated());
            return this;
        }

        /** The saga is stuck at the compensation of {@code step}. */
        public Result<S> thenStuckAt(String step) {
            check(saga.status() == SagaStatus.STUCK && step.equals(saga.currentStep()), "stuck at the compensation of " + step,
                    saga.status() + " at " + saga.currentStep());
            return this;
        }

        /** The action of {@code step} was tried {@code times} times. */
        public Result<S> thenTried(String step, int times) {
            long tried = calls.stream().filter(call -> call.step().equals(step) && !call.compensation()).count();
            check(tried == times, step + " tried " + times + " times", tried + " times");
            return this;
        }

        /** The transitions have exactly these types, in order. */
        @SafeVarargs
        public final Result<S> thenEvents(Class<? extends SagaEvent>... types) {
            List<Class<?>> actual = events.stream().<Class<?>>map(Object::getClass).toList();
            check(actual.equals(Arrays.asList(types)), "events " + names(Arrays.asList(types)), names(actual));
            return this;
        }

        /** An operator's retry of the stuck saga; the fixture's {@code when...} scripts go on applying. */
        public Result<S> whenRetried() {
            return run.retry("retried by the test");
        }

        private static List<String> names(List<? extends Class<?>> types) {
            return types.stream().map(Class::getSimpleName).toList();
        }

        private void check(boolean condition, String expected, Object actual) {
            if (!condition) {
                throw new AssertionError("expected " + expected + " but was " + actual + "\n  saga events: "
                        + events.stream().map(event -> event.getClass().getSimpleName()).toList());
            }
        }
    }
}
