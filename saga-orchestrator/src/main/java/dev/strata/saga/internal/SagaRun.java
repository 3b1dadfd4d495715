package dev.strata.saga.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.strata.eventstore.AppendResult;
import dev.strata.eventstore.DuplicateEventIdException;
import dev.strata.eventstore.EventData;
import dev.strata.eventstore.EventStoreException;
import dev.strata.eventstore.ExpectedVersion;
import dev.strata.eventstore.Metadata;
import dev.strata.eventstore.RecordedEvent;
import dev.strata.eventstore.WrongExpectedVersionException;
import dev.strata.saga.CircuitOpenPolicy;
import dev.strata.saga.FailureKind;
import dev.strata.saga.ParticipantCommand;
import dev.strata.saga.ParticipantReply;
import dev.strata.saga.SagaDefinition;
import dev.strata.saga.SagaEvent;
import dev.strata.saga.SagaHandle;
import dev.strata.saga.SagaLog;
import dev.strata.saga.SagaMessages;
import dev.strata.saga.SagaScheduler;
import dev.strata.saga.SagaStateException;
import dev.strata.saga.SagaStatus;
import dev.strata.saga.SagaSummary;
import dev.strata.saga.TransientFailure;
import dev.strata.saga.internal.SagaMachine.Next;
import dev.strata.saga.internal.SagaMachine.Outcome;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One saga being driven: its folded instance and a serial mailbox through which everything that concerns it passes
 * (append acknowledgements, call outcomes, replies, timers), so its state needs no lock.
 *
 * <p>The loop: ask {@link SagaMachine#next} what to do; append the events it names (with the exact version folded,
 * then apply them), call the participant for a try already recorded as started, or sleep until a retry is due.
 * A try's outcome (the call's result, a reply, its timeout) is turned into events by {@link SagaMachine#onOutcome}.
 * Every callback carries the turn it belongs to, so a late one (a reply after a timeout, a stale timer) is dropped.
 */
final class SagaRun {

    private static final Logger LOG = LoggerFactory.getLogger(SagaRun.class);

    private final SagaEngine engine;
    private final SagaDefinition<?> definition;
    private final SagaInstance saga;
    private final String sagaType;
    private final String sagaId;
    private final String stream;
    private final Metadata metadata;
    private final SerialExecutor mailbox;
    private final CompletableFuture<SagaSummary> started = new CompletableFuture<>();
    private final CompletableFuture<SagaSummary> finished = new CompletableFuture<>();

    private long turn;
    private long awaiting = -1;
    private Next.Invoke current;
    private boolean permitHeld;
    private long invokedNanos;
    private SagaScheduler.Cancellable timer;
    private Future<?> inFlight;
    private RecordedEvent stashedReply;
    private boolean appending;
    private boolean stopped;

    SagaRun(SagaEngine engine, SagaDefinition<?> definition, String sagaId, SagaInstance saga, Metadata metadata) {
        this.engine = engine;
        this.definition = definition;
        this.saga = saga;
        this.sagaType = definition.type();
        this.sagaId = sagaId;
        this.stream = SagaLog.streamName(sagaType, sagaId);
        this.metadata = metadata;
        this.mailbox = new SerialExecutor(engine.workers(), this::crashed);
    }

    String key() {
        return SagaEngine.key(sagaType, sagaId);
    }

    SagaHandle handle() {
        return new SagaHandle(sagaType, sagaId, started, finished);
    }

    /** Starts a new saga: appends its first events (expecting no stream), then drives it. */
    void begin(List<SagaEvent> startEvents) {
        mailbox.execute(() -> append(startEvents));
    }

    /** Drives a saga folded from its stream. */
    void resume() {
        mailbox.execute(() -> {
            started.complete(summary());
            advance();
        });
    }

    /** A reply event for this saga arrived (on a subscription thread). */
    void onReply(RecordedEvent event) {
        mailbox.execute(() -> reply(event));
    }

    /** Stops driving (the orchestrator closes); the saga resumes from its log on the next start. */
    void shutdown(Throwable reason) {
        mailbox.execute(() -> stop(reason));
    }

    // ------------------------------------------------------------------ the loop

    private void advance() {
        if (stopped || appending) {
            return; // one append in flight at a time: its acknowledgement advances the saga
        }
        Next next = SagaMachine.next(saga, definition, engine.now());
        if (next instanceof Next.Record record) {
            append(record.events());
        } else if (next instanceof Next.Invoke invoke) {
            invoke(invoke);
        } else if (next instanceof Next.WaitUntil wait) {
            wakeAt(wait.at());
        } else {
            finish();
        }
    }

    private void append(List<SagaEvent> events) {
        List<EventData> data = new ArrayList<>(events.size());
        for (SagaEvent event : events) {
            data.add(SagaEventCodec.encode(event, metadata));
        }
        appendData(events, data, 0);
    }

    private void appendData(List<SagaEvent> events, List<EventData> data, int failures) {
        ExpectedVersion expected = saga.exists() ? ExpectedVersion.exactly(saga.version()) : ExpectedVersion.noStream();
        appending = true;
        CompletableFuture<AppendResult> appended;
        try {
            appended = engine.systemAppender().appendAsync(stream, expected, data);
        } catch (RuntimeException e) {
            appended = CompletableFuture.failedFuture(e);
        }
        // the future completes on the store's writer thread: hop to the mailbox before touching anything
        appended.whenCompleteAsync((result, failure) -> {
            appending = false;
            if (stopped) {
                return;
            }
            if (failure == null) {
                appended(events, data, result);
            } else {
                appendFailed(events, data, failures, unwrap(failure));
            }
        }, mailbox);
    }

    private void appended(List<SagaEvent> events, List<EventData> data, AppendResult result) {
        Instant now = engine.now();
        for (int i = 0; i < events.size(); i++) {
            SagaEvent event = events.get(i);
            saga.apply(event, result.firstVersion() + i, result.firstPosition() + i, data.get(i).id(), now);
            engine.metrics().recorded(sagaType, event);
            log(event);
        }
        if (!started.isDone()) {
            started.complete(summary());
        }
        advance();
    }

    private void appendFailed(List<SagaEvent> events, List<EventData> data, int failures, Throwable failure) {
        if (failure instanceof WrongExpectedVersionException wrong) {
            if (!saga.exists()) {
                stop(new SagaStateException(sagaType, sagaId, null, "a saga with this id already exists"));
            } else {
                LOG.warn("Saga {}/{} was advanced by another orchestrator (stream at version {}, expected {}); leaving it",
                        sagaType, sagaId, wrong.actualVersion(), saga.version());
                stop(new SagaStateException(sagaType, sagaId, saga.status(), "another orchestrator advanced it (stream at version "
                        + wrong.actualVersion() + ", this one expected " + saga.version() + ")"));
            }
            return;
        }
        if (failure instanceof EventStoreException storeFailure && storeFailure.isRetryable() && !engine.isClosing()) {
            // same event ids: if the first append did land, the store answers it again and writes nothing
            Duration wait = Duration.ofMillis(Math.min(5_000, 50L << Math.min(failures, 10)));
            LOG.warn("Saga {}/{}: append failed ({}), retrying in {} ms", sagaType, sagaId, failure.getMessage(), wait.toMillis());
            long myTurn = ++turn;
            cancelTimer();
            timer = engine.scheduler().schedule(engine.now().plus(wait), () -> mailbox.execute(() -> {
                if (!stopped && myTurn == turn) {
                    appendData(events, data, failures + 1);
                }
            }));
            return;
        }
        LOG.warn("Saga {}/{}: append failed, no longer driven by this orchestrator: {}", sagaType, sagaId, failure.toString());
        stop(failure);
    }

    private void wakeAt(Instant at) {
        long myTurn = ++turn;
        cancelTimer();
        timer = engine.scheduler().schedule(at, () -> mailbox.execute(() -> {
            if (myTurn == turn && awaiting < 0) {
                advance();
            }
        }));
    }

    // ------------------------------------------------------------------ tries

    private void invoke(Next.Invoke invoke) {
        long myTurn = ++turn;
        cancelTimer();
        String participant = invoke.step().participant();
        boolean message = invoke.compensation() ? invoke.step().isCompensationMessage() : invoke.step().isMessage();
        if (message && stashedReply != null) {
            RecordedEvent early = stashedReply;
            stashedReply = null;
            if (matchesCurrentTry(early)) {
                await(myTurn, invoke, false);
                reply(early);
                return;
            }
        }
        if (!engine.breakers().tryAcquire(participant)) {
            if (invoke.step().whenCircuitOpen() == CircuitOpenPolicy.WAIT) {
                wakeAt(engine.now().plus(engine.breakers().pollInterval(participant)));
                return;
            }
            await(myTurn, invoke, false);
            outcome(myTurn, new Outcome.Failed(FailureKind.CIRCUIT_OPEN,
                    "the circuit breaker of participant '" + participant + "' is open", 0));
            return;
        }
        await(myTurn, invoke, true);
        Instant timerAt = invoke.firstTimer();
        if (timerAt != null) {
            timer = engine.scheduler().schedule(timerAt, () -> mailbox.execute(() -> timedOut(myTurn)));
        }
        if (message) {
            send(myTurn, invoke);
        } else {
            call(myTurn, invoke);
        }
    }

    private void await(long myTurn, Next.Invoke invoke, boolean permit) {
        awaiting = myTurn;
        current = invoke;
        permitHeld = permit;
        invokedNanos = System.nanoTime();
    }

    private void call(long myTurn, Next.Invoke invoke) {
        JsonNode state = saga.state();
        try {
            inFlight = engine.calls().submit(() -> {
                Outcome outcome;
                try {
                    if (invoke.compensation()) {
                        StepCalls.compensation(engine.mapper(), definition, invoke.step(), sagaId, invoke.idempotencyKey(), invoke.attempt(), state);
                        outcome = new Outcome.Succeeded(state, 0);
                    } else {
                        outcome = new Outcome.Succeeded(StepCalls.action(engine.mapper(), definition, invoke.step(), sagaId,
                                invoke.idempotencyKey(), invoke.attempt(), state), 0);
                    }
                } catch (Throwable failure) { // the call pool is a thread boundary: the failure is the try's outcome
                    outcome = new Outcome.Failed(StepCalls.classify(failure), StepCalls.describe(failure), 0);
                }
                Outcome result = outcome;
                mailbox.execute(() -> outcome(myTurn, result));
            });
        } catch (RejectedExecutionException e) {
            stop(new EngineException("the orchestrator is closing"));
        }
    }

    private void send(long myTurn, Next.Invoke invoke) {
        String participant = invoke.step().participant();
        EventData command;
        try {
            ParticipantCommand built = StepCalls.command(engine.mapper(), definition, invoke.step(), invoke.compensation(), sagaId,
                    invoke.idempotencyKey(), invoke.attempt(), saga.state());
            command = new EventData(commandId(invoke), built.type(), EventData.JSON, commandMetadata(invoke),
                    engine.mapper().writeValueAsBytes(built.payload()));
        } catch (JsonProcessingException e) {
            outcome(myTurn, new Outcome.Failed(FailureKind.PERMANENT, "the command payload cannot be written as JSON: " + e.getOriginalMessage(), 0));
            return;
        } catch (RuntimeException e) {
            outcome(myTurn, new Outcome.Failed(StepCalls.classify(e), StepCalls.describe(e), 0));
            return;
        }
        CompletableFuture<AppendResult> sent;
        try {
            sent = engine.store().appendAsync(SagaMessages.commandStream(participant), ExpectedVersion.any(), List.of(command));
        } catch (RuntimeException e) {
            sent = CompletableFuture.failedFuture(e);
        }
        sent.whenCompleteAsync((result, failure) -> {
            Throwable cause = failure == null ? null : unwrap(failure);
            if (cause == null || cause instanceof DuplicateEventIdException) {
                return; // sent (perhaps by an earlier run of this try, with other content): wait for the reply
            }
            outcome(myTurn, new Outcome.Failed(FailureKind.TRANSIENT, "could not send the command to " + participant + ": " + cause, 0));
        }, mailbox);
    }

    /** The same try always sends the same event id, so sending it again after a restart is dropped by the store. */
    private UUID commandId(Next.Invoke invoke) {
        return UUID.nameUUIDFromBytes(("command:" + invoke.idempotencyKey() + ":" + invoke.attempt()).getBytes(StandardCharsets.UTF_8));
    }

    private Metadata commandMetadata(Next.Invoke invoke) {
        Map<String, String> entries = new LinkedHashMap<>();
        entries.put(Metadata.CORRELATION_ID, sagaId);
        if (saga.openedEventId() != null) {
            entries.put(Metadata.CAUSATION_ID, saga.openedEventId().toString());
        }
        metadata.traceparent().ifPresent(trace -> entries.put(Metadata.TRACEPARENT, trace));
        entries.put(SagaMessages.SAGA_TYPE, sagaType);
        entries.put(SagaMessages.STEP, invoke.step().name());
        entries.put(SagaMessages.KEY, invoke.idempotencyKey());
        entries.put(SagaMessages.ATTEMPT, Integer.toString(invoke.attempt()));
        entries.put(SagaMessages.PHASE, invoke.compensation() ? SagaMessages.PHASE_COMPENSATION : SagaMessages.PHASE_ACTION);
        return Metadata.of(entries);
    }

    private void timedOut(long myTurn) {
        if (myTurn != awaiting || stopped) {
            return;
        }
        Next.Invoke invoke = current;
        Instant now = engine.now();
        boolean timeout = invoke.timeoutAt() != null && !now.isBefore(invoke.timeoutAt());
        if (inFlight != null) {
            inFlight.cancel(true);
        }
        outcome(myTurn, timeout
                ? new Outcome.Failed(FailureKind.TIMEOUT, "no outcome by the try's timeout " + invoke.timeoutAt(), 0)
                : new Outcome.Failed(FailureKind.DEADLINE, "cut off by the saga's deadline " + invoke.deadline(), 0));
    }

    private boolean matchesCurrentTry(RecordedEvent event) {
        if (!saga.isOpen() || saga.currentStep() == null) {
            return false;
        }
        boolean compensation = SagaMessages.PHASE_COMPENSATION.equals(event.metadata().get(SagaMessages.PHASE).orElse(null));
        if (saga.status() != (compensation ? SagaStatus.COMPENSATING : SagaStatus.RUNNING)) {
            return false;
        }
        String key = compensation ? SagaMachine.compensationKey(sagaType, sagaId, saga.currentStep())
                : SagaMachine.idempotencyKey(sagaType, sagaId, saga.currentStep());
        if (!key.equals(event.metadata().get(SagaMessages.KEY).orElse(null))) {
            return false;
        }
        // a success answers the key whatever the try; a failure only answers the try it was for
        boolean success = SagaMessages.SUCCEEDED.equals(event.metadata().get(SagaMessages.OUTCOME).orElse(null));
        return success || Integer.toString(saga.attempt()).equals(event.metadata().get(SagaMessages.ATTEMPT).orElse(null));
    }

    private void reply(RecordedEvent event) {
        if (stopped || !matchesCurrentTry(event)) {
            LOG.debug("Saga {}/{}: reply {} does not answer the try in progress; ignored", sagaType, sagaId, event.id());
            return;
        }
        if (awaiting < 0 || current == null) {
            stashedReply = event; // not invoked yet (resuming): the invoke takes it instead of sending again
            return;
        }
        ParticipantReply reply;
        try {
            reply = ParticipantReply.from(event);
        } catch (RuntimeException e) {
            LOG.warn("Saga {}/{}: malformed reply {} ignored: {}", sagaType, sagaId, event.id(), e.getMessage());
            return;
        }
        long myTurn = awaiting;
        Next.Invoke invoke = current;
        if (!reply.succeeded()) {
            FailureKind kind = reply.outcome() == ParticipantReply.Outcome.PERMANENT_FAILURE ? FailureKind.PERMANENT : FailureKind.TRANSIENT;
            outcome(myTurn, new Outcome.Failed(kind, reply.reason(), 0));
        } else if (invoke.compensation()) {
            outcome(myTurn, new Outcome.Succeeded(saga.state(), 0));
        } else {
            try {
                outcome(myTurn, new Outcome.Succeeded(StepCalls.reply(engine.mapper(), definition, invoke.step(), sagaId,
                        invoke.idempotencyKey(), invoke.attempt(), saga.state(), reply), 0));
            } catch (Exception e) {
                outcome(myTurn, new Outcome.Failed(StepCalls.classify(e), StepCalls.describe(e), 0));
            }
        }
    }

    private void outcome(long myTurn, Outcome outcome) {
        if (stopped || myTurn != awaiting) {
            return; // a late outcome of a try that already ended (timed out, answered twice)
        }
        awaiting = -1;
        cancelTimer();
        inFlight = null;
        Next.Invoke invoke = current;
        current = null;
        long nanos = System.nanoTime() - invokedNanos;
        long micros = nanos / 1_000;
        Outcome timed = outcome instanceof Outcome.Succeeded success
                ? new Outcome.Succeeded(success.state(), micros)
                : new Outcome.Failed(((Outcome.Failed) outcome).kind(), ((Outcome.Failed) outcome).reason(), micros);
        report(invoke.step().participant(), timed, nanos);
        engine.metrics().tryEnded(sagaType, invoke.step().name(), invoke.compensation(), timed instanceof Outcome.Succeeded, nanos);
        if (timed instanceof Outcome.Failed failed) {
            LOG.debug("Saga {}/{}: {} of step {} try {} failed ({}): {}", sagaType, sagaId,
                    invoke.compensation() ? "compensation" : "action", invoke.step().name(), invoke.attempt(), failed.kind(), failed.reason());
        }
        append(SagaMachine.onOutcome(saga, definition, timed, engine.now(), engine.random()));
    }

    /** Tells the participant's breaker how its call went: only transient failures and timeouts count against it. */
    private void report(String participant, Outcome outcome, long nanos) {
        if (!permitHeld) {
            return;
        }
        permitHeld = false;
        if (outcome instanceof Outcome.Failed failed) {
            switch (failed.kind()) {
                case TRANSIENT, TIMEOUT -> engine.breakers().failed(participant, nanos, new TransientFailure(failed.reason()));
                case PERMANENT -> engine.breakers().succeeded(participant, nanos);
                default -> engine.breakers().release(participant);
            }
        } else {
            engine.breakers().succeeded(participant, nanos);
        }
    }

    // ------------------------------------------------------------------ endings

    private void finish() {
        cancelTimer();
        engine.removeRun(this);
        SagaSummary summary = summary();
        started.complete(summary);
        finished.complete(summary);
    }

    private void stop(Throwable reason) {
        if (stopped) {
            return;
        }
        stopped = true;
        cancelTimer();
        if (inFlight != null) {
            inFlight.cancel(true);
        }
        if (permitHeld && current != null) {
            engine.breakers().release(current.step().participant());
            permitHeld = false;
        }
        engine.removeRun(this);
        started.completeExceptionally(reason);
        finished.completeExceptionally(reason);
    }

    private void crashed(Throwable failure) {
        LOG.error("Saga {}/{}: unexpected failure in its mailbox; no longer driven until the next start", sagaType, sagaId, failure);
        stop(failure);
    }

    private void cancelTimer() {
        if (timer != null) {
            timer.cancel();
            timer = null;
        }
    }

    private void log(SagaEvent event) {
        if (event instanceof SagaEvent.SagaStuck stuck) {
            LOG.warn("Saga {}/{} is STUCK at the compensation of step {}: {}", sagaType, sagaId, stuck.step(), stuck.reason());
        } else if (event instanceof SagaEvent.SagaCompensating compensating) {
            LOG.info("Saga {}/{} compensating {}: {}", sagaType, sagaId, compensating.plan(), compensating.reason());
        } else if (event instanceof SagaEvent.SagaCompensated) {
            LOG.info("Saga {}/{} compensated", sagaType, sagaId);
        } else if (LOG.isDebugEnabled()) {
            LOG.debug("Saga {}/{}: {}", sagaType, sagaId, event);
        }
    }

    SagaSummary summary() {
        String step = saga.currentStep();
        if (step == null && !saga.succeeded().isEmpty()) {
            step = saga.succeeded().get(saga.succeeded().size() - 1);
        }
        String reason = saga.status() == SagaStatus.RUNNING ? saga.lastFailureReason() : saga.reason();
        return new SagaSummary(sagaType, sagaId, saga.businessKey(), saga.status(), step, saga.attempt(), reason,
                saga.startedAt(), saga.updatedAt(), saga.version(), saga.lastPosition());
    }

    private static Throwable unwrap(Throwable failure) {
        while (failure instanceof CompletionException && failure.getCause() != null) {
            failure = failure.getCause();
        }
        return failure;
    }
}
