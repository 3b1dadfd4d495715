package dev.strata.saga;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.strata.eventstore.EventStore;
import dev.strata.eventstore.Metadata;
import dev.strata.saga.internal.EngineSettings;
import dev.strata.saga.internal.SagaEngine;
import dev.strata.saga.internal.SagaJson;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.random.RandomGenerator;

/**
 * Runs sagas durably on an event store. Each saga's transitions are events in its own stream
 * {@code $saga-<type>-<id>}, appended with the exact version the orchestrator folded, so two orchestrators never
 * both advance one saga; when an orchestrator starts it resumes every RUNNING or COMPENSATING saga of the types
 * registered with it, where its log says it stopped, timers included.
 *
 * <pre>{@code
 * try (SagaOrchestrator sagas = SagaOrchestrator.builder(store)
 *         .register(orderSaga)
 *         .viewDirectory(dataDir.resolve("saga-view"))
 *         .start()) {
 *     SagaSummary done = sagas.start(orderSaga, "order-42", new Order(...)).finished().join();
 * }
 * }</pre>
 *
 * Close it before the store: closing stops driving sagas (they resume on the next start) and closes the view.
 */
public final class SagaOrchestrator implements AutoCloseable {

    private final SagaEngine engine;

    private SagaOrchestrator(SagaEngine engine) {
        this.engine = engine;
    }

    public static Builder builder(EventStore store) {
        return new Builder(store);
    }

    /** Starts saga {@code sagaId} of {@code definition}'s type with {@code initialState}; see {@link SagaHandle}. */
    public <S> SagaHandle start(SagaDefinition<S> definition, String sagaId, S initialState) {
        return engine.start(definition, sagaId, initialState, Metadata.empty());
    }

    /** As {@link #start(SagaDefinition, String, Object)}, carrying the caller's W3C trace context (traceparent, tracestate) into the saga's events and commands. */
    public <S> SagaHandle start(SagaDefinition<S> definition, String sagaId, S initialState, Metadata trace) {
        return engine.start(definition, sagaId, initialState, trace);
    }

    /**
     * An operator's retry of a {@link SagaStatus#STUCK} saga: records it in the saga's log and runs the stuck
     * compensation again with a fresh failure count.
     *
     * @throws SagaNotFoundException if there is no such saga
     * @throws SagaStateException    if it is not stuck
     */
    public SagaHandle retry(String sagaType, String sagaId, String reason) {
        return engine.retry(sagaType, sagaId, reason);
    }

    /** The saga's summary, folded from its stream (current; the view may lag a little). */
    public Optional<SagaSummary> find(String sagaType, String sagaId) {
        return engine.find(sagaType, sagaId);
    }

    /** The saga view: search by id, type, status and business key. */
    public SagaView view() {
        return engine.view();
    }

    public CircuitState circuitState(String participant) {
        return engine.circuitState(participant);
    }

    /** Sagas this orchestrator is driving now. */
    public int activeSagas() {
        return engine.activeSagas();
    }

    @Override
    public void close() {
        engine.close();
    }

    /** The orchestrator's settings; {@link #start()} validates them, naming the setting at fault. */
    public static final class Builder {

        private final EventStore store;
        private final List<SagaDefinition<?>> definitions = new ArrayList<>();
        private final Map<String, CircuitBreakerPolicy> circuitBreakers = new HashMap<>();
        private Path viewDirectory;
        private Clock clock = Clock.systemUTC();
        private SagaScheduler scheduler;
        private RandomGenerator random = new Random();
        private int workers = Math.max(2, Runtime.getRuntime().availableProcessors());
        private ExecutorService callExecutor;
        private int callThreads = 16;
        private CircuitBreakerPolicy defaultCircuitBreaker = CircuitBreakerPolicy.DEFAULT;
        private MeterRegistry meterRegistry = Metrics.globalRegistry;
        private ObjectMapper objectMapper = SagaJson.mapper();
        private Duration recoveryTimeout = Duration.ofMinutes(5);

        private Builder(EventStore store) {
            if (store == null) {
                throw new SagaValidationException("store", null, "must not be null");
            }
            this.store = store;
        }

        /** A saga type this orchestrator runs (and resumes on start). Required: at least one. */
        public Builder register(SagaDefinition<?> definition) {
            if (definition == null) {
                throw new SagaValidationException("definition", null, "must not be null");
            }
            definitions.add(definition);
            return this;
        }

        /** Where the saga view keeps its RocksDB files; by convention {@code <store folder>/saga-view}, which {@code strata sagas} reads. Required. */
        public Builder viewDirectory(Path directory) {
            this.viewDirectory = directory;
            return this;
        }

        /** The clock for timers, backoffs, deadlines and circuit breakers; the system clock by default. */
        public Builder clock(Clock newClock) {
            this.clock = newClock;
            return this;
        }

        /** Runs timers; by default one daemon thread on {@link #clock}. Tests use {@link dev.strata.saga.testing.ManualScheduler}. */
        public Builder scheduler(SagaScheduler newScheduler) {
            this.scheduler = newScheduler;
            return this;
        }

        /** The source of backoff jitter; seed it for reproducible tests. */
        public Builder random(RandomGenerator newRandom) {
            this.random = newRandom;
            return this;
        }

        /** Threads that run saga logic (mailboxes); the number of processors (at least 2) by default. */
        public Builder workers(int threads) {
            this.workers = threads;
            return this;
        }

        /** Threads for local participant calls, which may block; 16 by default. Ignored if {@link #callExecutor} is set. */
        public Builder callThreads(int threads) {
            this.callThreads = threads;
            return this;
        }

        /** Runs local participant calls instead of the orchestrator's own pool (the caller owns and closes it). */
        public Builder callExecutor(ExecutorService executor) {
            this.callExecutor = executor;
            return this;
        }

        /** The circuit breaker of participants without one of their own; {@link CircuitBreakerPolicy#DEFAULT} by default. */
        public Builder defaultCircuitBreaker(CircuitBreakerPolicy policy) {
            this.defaultCircuitBreaker = policy;
            return this;
        }

        /** The circuit breaker of {@code participant}. */
        public Builder circuitBreaker(String participant, CircuitBreakerPolicy policy) {
            StepDefinition.requireParticipantName(participant);
            if (policy == null) {
                throw new SagaValidationException("circuitBreaker." + participant, null, "must not be null");
            }
            circuitBreakers.put(participant, policy);
            return this;
        }

        /** Where the meters go; Micrometer's global registry by default. */
        public Builder meterRegistry(MeterRegistry registry) {
            this.meterRegistry = registry;
            return this;
        }

        /** The Jackson mapper for saga states and command payloads (configure it like {@code SagaJson}: ISO instants). */
        public Builder objectMapper(ObjectMapper mapper) {
            this.objectMapper = mapper;
            return this;
        }

        /** How long {@link #start()} waits for the view to catch up with the log; 5 minutes by default. */
        public Builder recoveryTimeout(Duration timeout) {
            this.recoveryTimeout = timeout;
            return this;
        }

        /** Validates the settings, opens the view, resumes unfinished sagas, and returns the running orchestrator. */
        public SagaOrchestrator start() {
            if (definitions.isEmpty()) {
                throw new SagaValidationException("definitions", "none", "must register at least one saga definition");
            }
            Map<String, SagaDefinition<?>> byType = new HashMap<>();
            for (SagaDefinition<?> definition : definitions) {
                if (byType.put(definition.type(), definition) != null) {
                    throw new SagaValidationException("definition", definition.type(), "must be registered once per saga type");
                }
            }
            require("viewDirectory", viewDirectory);
            require("clock", clock);
            require("random", random);
            require("defaultCircuitBreaker", defaultCircuitBreaker);
            require("meterRegistry", meterRegistry);
            require("objectMapper", objectMapper);
            require("recoveryTimeout", recoveryTimeout);
            if (workers < 1) {
                throw new SagaValidationException("workers", workers, "must be >= 1");
            }
            if (callExecutor == null && callThreads < 1) {
                throw new SagaValidationException("callThreads", callThreads, "must be >= 1");
            }
            if (recoveryTimeout.isNegative() || recoveryTimeout.isZero()) {
                throw new SagaValidationException("recoveryTimeout", recoveryTimeout, "must be > 0");
            }
            return new SagaOrchestrator(SagaEngine.start(new EngineSettings(store, List.copyOf(definitions), viewDirectory, clock,
                    scheduler, random, workers, callExecutor, callThreads, defaultCircuitBreaker, Map.copyOf(circuitBreakers),
                    meterRegistry, objectMapper, recoveryTimeout)));
        }

        private static void require(String setting, Object value) {
            if (value == null) {
                throw new SagaValidationException(setting, null, "must not be null");
            }
        }
    }
}
