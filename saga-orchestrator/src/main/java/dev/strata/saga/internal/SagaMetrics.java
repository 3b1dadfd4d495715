package dev.strata.saga.internal;

import dev.strata.saga.SagaEvent;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The orchestrator's meters (Prometheus names in brackets): sagas started, completed, compensated and stuck per
 * saga type ({@code strata_saga_started_total} ...), step and compensation latency per type, step and outcome
 * ({@code strata_saga_step_latency_seconds}), and the sagas being driven ({@code strata_saga_active}).
 */
public final class SagaMetrics implements AutoCloseable {

    private final MeterRegistry registry;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();
    private final Map<String, Timer> timers = new ConcurrentHashMap<>();
    private final List<Meter> meters = new ArrayList<>();

    public SagaMetrics(MeterRegistry registry, Supplier<Number> active) {
        this.registry = registry;
        meters.add(Gauge.builder("strata.saga.active", active).description("Sagas being driven by this orchestrator")
                .register(registry));
    }

    /** Counts the transitions that end or begin a saga, for events this orchestrator appended. */
    public void recorded(String sagaType, SagaEvent event) {
        String name;
        if (event instanceof SagaEvent.SagaStarted) {
            name = "strata.saga.started";
        } else if (event instanceof SagaEvent.SagaCompleted) {
            name = "strata.saga.completed";
        } else if (event instanceof SagaEvent.SagaCompensated) {
            name = "strata.saga.compensated";
        } else if (event instanceof SagaEvent.SagaStuck) {
            name = "strata.saga.stuck";
        } else {
            return;
        }
        counters.computeIfAbsent(name + "|" + sagaType, key -> register(Counter.builder(name).tag("type", sagaType)
                .description("Sagas that reached this transition").register(registry))).increment();
    }

    /** How long one try of a step or compensation took, by outcome (succeeded, failed). */
    public void tryEnded(String sagaType, String step, boolean compensation, boolean succeeded, long nanos) {
        String phase = compensation ? "compensation" : "action";
        String outcome = succeeded ? "succeeded" : "failed";
        timers.computeIfAbsent(sagaType + "|" + step + "|" + phase + "|" + outcome, key -> register(Timer.builder("strata.saga.step.latency")
                .tags("type", sagaType, "step", step, "phase", phase, "outcome", outcome)
                .description("Latency of one try of a saga step or compensation").register(registry)))
                .record(nanos, TimeUnit.NANOSECONDS);
    }

    private <M extends Meter> M register(M meter) {
        synchronized (meters) {
            meters.add(meter);
        }
        return meter;
    }

    public double count(String name, String sagaType) {
        Counter counter = counters.get(name + "|" + sagaType);
        return counter == null ? 0 : counter.count();
    }

    @Override
    public void close() {
        synchronized (meters) {
            meters.forEach(registry::remove);
            meters.clear();
        }
    }
}
