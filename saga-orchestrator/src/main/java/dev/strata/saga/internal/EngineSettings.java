package dev.strata.saga.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.strata.eventstore.EventStore;
import dev.strata.saga.CircuitBreakerPolicy;
import dev.strata.saga.SagaDefinition;
import dev.strata.saga.SagaScheduler;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.random.RandomGenerator;

/** An orchestrator's validated settings; null scheduler or executors mean "create and own the default one". */
public record EngineSettings(EventStore store, List<SagaDefinition<?>> definitions, Path viewDirectory, Clock clock,
                             SagaScheduler scheduler, RandomGenerator random, int workers, ExecutorService callExecutor,
                             int callThreads, CircuitBreakerPolicy defaultCircuitBreaker,
                             Map<String, CircuitBreakerPolicy> circuitBreakers, MeterRegistry meterRegistry,
                             ObjectMapper objectMapper, Duration recoveryTimeout) {
}
