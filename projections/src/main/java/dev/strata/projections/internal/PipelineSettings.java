package dev.strata.projections.internal;

import com.lmax.disruptor.WaitStrategy;
import dev.strata.eventstore.EventStore;
import dev.strata.projections.EventDecoder;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;

/** A pipeline's validated settings (see {@link dev.strata.projections.ProjectionPipelineBuilder}). */
public record PipelineSettings(EventStore store, Path directory, List<Registration> registrations, EventDecoder decoder,
                               int ringSize, int maxBatchEvents, Supplier<WaitStrategy> waitStrategy,
                               MeterRegistry meterRegistry, Duration queryTimeout) {
}
