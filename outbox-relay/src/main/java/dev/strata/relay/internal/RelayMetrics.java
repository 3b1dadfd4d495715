package dev.strata.relay.internal;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * A relay's meters, tagged {@code relay=<name>} (Prometheus names in brackets):
 * <ul>
 *   <li>{@code strata.relay.published} [strata_relay_published_total]: events the sink acknowledged; its rate is published/s</li>
 *   <li>{@code strata.relay.retries} [strata_relay_retries_total]: failed publish attempts that will be retried</li>
 *   <li>{@code strata.relay.deadletters} [strata_relay_deadletters_total]: events sent to the dead-letter stream</li>
 *   <li>{@code strata.relay.lag} [strata_relay_lag]: events behind the head of the log (or pending outbox rows)</li>
 *   <li>{@code strata.relay.checkpoint} [strata_relay_checkpoint]: the last acknowledged position</li>
 *   <li>{@code strata.relay.circuit.state} [strata_relay_circuit_state]: 0 closed, 1 open, 2 half-open</li>
 *   <li>{@code strata.relay.publish} [strata_relay_publish_seconds]: time to get one batch acknowledged, retries included</li>
 * </ul>
 */
public final class RelayMetrics implements AutoCloseable {

    private final MeterRegistry registry;
    // Kept here, not read back from the meters: with no registry behind Micrometer's global one, meters are no-ops.
    private final LongAdder published = new LongAdder();
    private final LongAdder retries = new LongAdder();
    private final LongAdder deadLetters = new LongAdder();
    private final Timer publish;
    private final List<Meter> meters = new ArrayList<>();

    public RelayMetrics(MeterRegistry registry, String relay, Supplier<Number> lag, Supplier<Number> checkpoint,
                        Supplier<Number> circuitState) {
        this(registry, Tags.of("relay", relay), lag, checkpoint, circuitState);
    }

    /** {@code tags}: {@code relay=<name>}, plus {@code instance=<id>} when several instances share a name (JDBC outbox). */
    public RelayMetrics(MeterRegistry registry, Tags tags, Supplier<Number> lag, Supplier<Number> checkpoint,
                        Supplier<Number> circuitState) {
        this.registry = registry;
        add(FunctionCounter.builder("strata.relay.published", published, LongAdder::doubleValue).tags(tags)
                .description("Events the sink acknowledged").register(registry));
        add(FunctionCounter.builder("strata.relay.retries", retries, LongAdder::doubleValue).tags(tags)
                .description("Failed publish attempts that will be retried").register(registry));
        add(FunctionCounter.builder("strata.relay.deadletters", deadLetters, LongAdder::doubleValue).tags(tags)
                .description("Events that could not be mapped or were refused, sent to the dead-letter stream")
                .register(registry));
        publish = add(Timer.builder("strata.relay.publish").tags(tags)
                .description("Time to get one batch acknowledged, retries included").register(registry));
        add(Gauge.builder("strata.relay.lag", lag).tags(tags)
                .description("Events behind the head of the log").register(registry));
        add(Gauge.builder("strata.relay.checkpoint", checkpoint).tags(tags)
                .description("The last position the sink acknowledged").register(registry));
        add(Gauge.builder("strata.relay.circuit.state", circuitState).tags(tags)
                .description("Circuit breaker around the sink: 0 closed, 1 open, 2 half-open").register(registry));
    }

    private <M extends Meter> M add(M meter) {
        meters.add(meter);
        return meter;
    }

    public void published(int events) {
        published.add(events);
    }

    public void retried() {
        retries.increment();
    }

    public void deadLettered() {
        deadLetters.increment();
    }

    public Timer publishTimer() {
        return publish;
    }

    public long publishedCount() {
        return published.sum();
    }

    public long retryCount() {
        return retries.sum();
    }

    public long deadLetterCount() {
        return deadLetters.sum();
    }

    @Override
    public void close() {
        meters.forEach(registry::remove);
    }
}
