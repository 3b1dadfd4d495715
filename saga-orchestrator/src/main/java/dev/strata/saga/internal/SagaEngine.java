package dev.strata.saga.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.strata.eventstore.EventAppender;
import dev.strata.eventstore.EventStore;
import dev.strata.eventstore.Metadata;
import dev.strata.eventstore.RecordedEvent;
import dev.strata.eventstore.Subscription;
import dev.strata.eventstore.SubscriptionListener;
import dev.strata.saga.CircuitState;
import dev.strata.saga.SagaDefinition;
import dev.strata.saga.SagaEvent;
import dev.strata.saga.SagaHandle;
import dev.strata.saga.SagaLog;
import dev.strata.saga.SagaMessages;
import dev.strata.saga.SagaQuery;
import dev.strata.saga.SagaScheduler;
import dev.strata.saga.SagaStateException;
import dev.strata.saga.SagaStatus;
import dev.strata.saga.SagaSummary;
import dev.strata.saga.SagaValidationException;
import dev.strata.saga.SagaView;
import dev.strata.saga.StepDefinition;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The orchestrator's machinery behind {@link dev.strata.saga.SagaOrchestrator}: the runs being driven, the pools they
 * share, the participants' circuit breakers, the reply subscriptions and the saga view.
 *
 * <h2>Threads</h2>
 * {@code strata-saga-N} (the mailboxes: saga logic, a few threads for any number of sagas), {@code strata-saga-call-N}
 * (local participant calls, which may block), the timer thread of the default scheduler, one subscription thread per
 * participant reached through the store, and the view's subscription thread.
 *
 * <h2>Start</h2>
 * Open the view and wait until it has caught up with the log; find every RUNNING or COMPENSATING saga of a
 * registered type in it; fold each from its stream; subscribe to the replies of message participants from the
 * earliest try still waiting for one; then drive them all.
 *
 * <h2>Close order</h2>
 * Refuse new sagas; stop the reply subscriptions; stop every run (their sagas resume from the log next time); stop
 * the timers, the call pool and the mailbox pool; close the view; remove the meters.
 */
public final class SagaEngine implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SagaEngine.class);

    private final EngineSettings settings;
    private final EventStore store;
    private final ObjectMapper mapper;
    private final SagaScheduler scheduler;
    private final ExecutorScheduler ownedScheduler;
    private final ExecutorService workers;
    private final ExecutorService calls;
    private final boolean ownsCalls;
    private final ParticipantBreakers breakers;
    private final SagaMetrics metrics;
    private final Map<String, SagaDefinition<?>> definitions = new LinkedHashMap<>();
    private final Map<String, SagaRun> runs = new ConcurrentHashMap<>();
    private final List<Subscription> replySubscriptions = new ArrayList<>();
    private final AtomicBoolean closing = new AtomicBoolean();
    private SagaView view;

    private SagaEngine(EngineSettings settings) {
        this.settings = settings;
        this.store = settings.store();
        this.mapper = settings.objectMapper();
        for (SagaDefinition<?> definition : settings.definitions()) {
            definitions.put(definition.type(), definition);
        }
        if (settings.scheduler() != null) {
            this.scheduler = settings.scheduler();
            this.ownedScheduler = null;
        } else {
            this.ownedScheduler = new ExecutorScheduler(settings.clock());
            this.scheduler = ownedScheduler;
        }
        this.workers = Executors.newFixedThreadPool(settings.workers(), daemon("strata-saga-"));
        this.ownsCalls = settings.callExecutor() == null;
        this.calls = ownsCalls ? Executors.newFixedThreadPool(settings.callThreads(), daemon("strata-saga-call-")) : settings.callExecutor();
        this.breakers = new ParticipantBreakers(settings.clock(), settings.defaultCircuitBreaker(), settings.circuitBreakers());
        this.metrics = new SagaMetrics(settings.meterRegistry(), runs::size);
    }

    public static SagaEngine start(EngineSettings settings) {
        SagaEngine engine = new SagaEngine(settings);
        try {
            engine.recover();
            return engine;
        } catch (RuntimeException e) {
            engine.close();
            throw e;
        }
    }

    private void recover() {
        long started = System.nanoTime();
        view = SagaView.open(store, settings.viewDirectory(), settings.meterRegistry());
        if (!view.awaitCaughtUp(settings.recoveryTimeout())) {
            throw new EngineException("the saga view in " + settings.viewDirectory() + " did not catch up with the log within "
                    + settings.recoveryTimeout() + " (at position " + view.checkpoint() + ", head " + store.headPosition() + ")");
        }
        long replyFrom = store.headPosition() + 1;
        List<SagaRun> resumed = new ArrayList<>();
        int unknown = 0;
        for (SagaStatus status : List.of(SagaStatus.RUNNING, SagaStatus.COMPENSATING)) {
            for (SagaSummary summary : view.search(SagaQuery.all().status(status).limit(Integer.MAX_VALUE))) {
                SagaDefinition<?> definition = definitions.get(summary.sagaType());
                if (definition == null) {
                    unknown++;
                    continue;
                }
                SagaLoader.Loaded loaded = SagaLoader.load(store, summary.stream());
                SagaInstance instance = loaded.instance();
                if (!instance.exists() || !instance.status().isActive()) {
                    continue;
                }
                SagaRun run = new SagaRun(this, definition, summary.sagaId(), instance, loaded.metadata());
                runs.put(run.key(), run);
                resumed.add(run);
                if (instance.isOpen()) {
                    replyFrom = Math.min(replyFrom, instance.openedPosition());
                }
            }
        }
        subscribeToReplies(replyFrom);
        resumed.forEach(SagaRun::resume);
        LOG.info("Saga orchestrator started for {}: resumed {} unfinished sagas{} in {} ms", definitions.keySet(), resumed.size(),
                unknown == 0 ? "" : " (" + unknown + " of types not registered here left alone)",
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
    }

    /**
     * Replies arrive on {@code <participant>.replies}. Starting at the earliest try still waiting for a reply means a
     * reply written while no orchestrator ran is still delivered; older ones are for tries that are over, and a run
     * ignores any reply that does not answer its try in progress.
     */
    private void subscribeToReplies(long fromPosition) {
        Set<String> participants = new LinkedHashSet<>();
        for (SagaDefinition<?> definition : definitions.values()) {
            for (StepDefinition<?> step : definition.steps()) {
                if (step.isMessage() || step.isCompensationMessage()) {
                    participants.add(step.participant());
                }
            }
        }
        for (String participant : participants) {
            replySubscriptions.add(store.subscribeToCategory(SagaMessages.replyStream(participant), Math.max(0, fromPosition),
                    new SubscriptionListener() {
                        @Override
                        public void onEvent(RecordedEvent event) {
                            routeReply(event);
                        }

                        @Override
                        public void onStopped(Throwable cause) {
                            if (!closing.get()) {
                                LOG.error("Reply subscription of participant {} stopped: {}", participant, cause.toString());
                            }
                        }
                    }));
        }
    }

    private void routeReply(RecordedEvent event) {
        Optional<String> type = event.metadata().get(SagaMessages.SAGA_TYPE);
        Optional<String> id = event.metadata().correlationId();
        if (type.isEmpty() || id.isEmpty()) {
            return;
        }
        SagaRun run = runs.get(key(type.get(), id.get()));
        if (run != null) {
            run.onReply(event);
        }
    }

    // ------------------------------------------------------------------ API

    public <S> SagaHandle start(SagaDefinition<S> definition, String sagaId, S initialState, Metadata callerMetadata) {
        requireOpen();
        if (definition == null || definitions.get(definition.type()) != definition) {
            throw new SagaValidationException("definition", definition == null ? null : definition.type(),
                    "must be registered with this orchestrator (SagaOrchestrator.builder(store).register(definition))");
        }
        SagaLog.requireId(sagaId);
        if (initialState == null) {
            throw new SagaValidationException("initialState", null, "must not be null");
        }
        JsonNode state;
        try {
            state = mapper.valueToTree(initialState);
        } catch (IllegalArgumentException e) {
            throw new SagaValidationException("initialState", initialState.getClass().getName(), "must be writable as JSON: " + e.getMessage());
        }
        String businessKey = definition.businessKey(initialState).orElse(null);
        if (businessKey != null && (businessKey.indexOf('\0') >= 0 || businessKey.length() > 256)) {
            throw new SagaValidationException("businessKey", businessKey, "must be at most 256 characters without NUL");
        }
        Metadata metadata = Metadata.empty().with(Metadata.CORRELATION_ID, sagaId);
        if (callerMetadata != null) {
            for (String carried : List.of(Metadata.TRACEPARENT, Metadata.TRACESTATE)) {
                Optional<String> value = callerMetadata.get(carried);
                if (value.isPresent()) {
                    metadata = metadata.with(carried, value.get());
                }
            }
        }
        List<SagaEvent> events = SagaMachine.start(definition, sagaId, businessKey, state, now());
        SagaRun run = new SagaRun(this, definition, sagaId, new SagaInstance(), metadata);
        if (runs.putIfAbsent(run.key(), run) != null) {
            throw new SagaStateException(definition.type(), sagaId, null, "is already being run by this orchestrator");
        }
        run.begin(events);
        return run.handle();
    }

    public SagaHandle retry(String sagaType, String sagaId, String reason) {
        requireOpen();
        SagaDefinition<?> definition = definitions.get(SagaDefinition.requireType(sagaType));
        if (definition == null) {
            throw new SagaValidationException("sagaType", sagaType, "must be registered with this orchestrator to be retried here");
        }
        if (runs.containsKey(key(sagaType, sagaId))) {
            throw new SagaStateException(sagaType, sagaId, null, "is being run by this orchestrator; only a STUCK saga can be retried");
        }
        SagaLog.retry(store, store.systemAppender(), sagaType, sagaId, reason);
        SagaLoader.Loaded loaded = SagaLoader.load(store, SagaLog.streamName(sagaType, sagaId));
        SagaRun run = new SagaRun(this, definition, sagaId, loaded.instance(), loaded.metadata());
        if (runs.putIfAbsent(run.key(), run) != null) {
            throw new SagaStateException(sagaType, sagaId, null, "is already being run by this orchestrator");
        }
        LOG.info("Saga {}/{} retried by an operator: {}", sagaType, sagaId, reason);
        run.resume();
        return run.handle();
    }

    public Optional<SagaSummary> find(String sagaType, String sagaId) {
        requireOpen();
        return SagaLog.summary(store, sagaType, sagaId);
    }

    public SagaView view() {
        return view;
    }

    public CircuitState circuitState(String participant) {
        return breakers.state(StepDefinition.requireParticipantName(participant));
    }

    public int activeSagas() {
        return runs.size();
    }

    public SagaMetrics metrics() {
        return metrics;
    }

    // ------------------------------------------------------------------ for runs

    static String key(String sagaType, String sagaId) {
        return sagaType + "/" + sagaId;
    }

    Instant now() {
        return settings.clock().instant();
    }

    RandomGenerator random() {
        return settings.random();
    }

    ObjectMapper mapper() {
        return mapper;
    }

    EventStore store() {
        return store;
    }

    EventAppender systemAppender() {
        return store.systemAppender();
    }

    SagaScheduler scheduler() {
        return scheduler;
    }

    ExecutorService workers() {
        return workers;
    }

    ExecutorService calls() {
        return calls;
    }

    ParticipantBreakers breakers() {
        return breakers;
    }

    boolean isClosing() {
        return closing.get();
    }

    void removeRun(SagaRun run) {
        runs.remove(run.key(), run);
    }

    private void requireOpen() {
        if (closing.get()) {
            throw new EngineException("the saga orchestrator is closed");
        }
    }

    @Override
    public void close() {
        if (!closing.compareAndSet(false, true)) {
            return;
        }
        replySubscriptions.forEach(Subscription::close);
        EngineException closed = new EngineException("the saga orchestrator closed; the saga resumes on its next start");
        int unfinished = runs.size();
        List.copyOf(runs.values()).forEach(run -> run.shutdown(closed));
        workers.shutdown();
        try {
            if (!workers.awaitTermination(5, TimeUnit.SECONDS)) {
                LOG.warn("Saga mailboxes still busy after 5 s; stopping them");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        workers.shutdownNow();
        if (ownedScheduler != null) {
            ownedScheduler.close();
        }
        if (ownsCalls) {
            calls.shutdownNow();
        }
        if (view != null) {
            view.close();
        }
        metrics.close();
        LOG.info("Saga orchestrator closed ({} unfinished sagas left to resume)", unfinished);
    }

    private static ThreadFactory daemon(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, prefix + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
