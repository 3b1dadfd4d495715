package dev.strata.projections;

import com.lmax.disruptor.BlockingWaitStrategy;
import com.lmax.disruptor.WaitStrategy;
import dev.strata.eventstore.EventStore;
import dev.strata.eventstore.ValidationException;
import dev.strata.projections.internal.DisruptorProjectionPipeline;
import dev.strata.projections.internal.PipelineSettings;
import dev.strata.projections.internal.Registration;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * Settings of a projection pipeline. Required: the store (given to {@link ProjectionPipeline#builder}) and the
 * read models' directory; everything else has a default. {@link #open()} validates them all and names the setting
 * in its message.
 */
public final class ProjectionPipelineBuilder {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    private final EventStore store;
    private Path directory;
    private final List<Registration> registrations = new ArrayList<>();
    private EventDecoder decoder = EventDecoder.json();
    private int ringSize = 8192;
    private int maxBatchEvents = 2048;
    private Supplier<WaitStrategy> waitStrategy = BlockingWaitStrategy::new;
    private MeterRegistry meterRegistry = Metrics.globalRegistry;
    private Duration queryTimeout = Duration.ofSeconds(5);

    ProjectionPipelineBuilder(EventStore store) {
        this.store = store;
    }

    /**
     * The folder of the read models' RocksDB database; created if missing. Required. The command line's tools look
     * in {@code <store directory>/projections} unless told otherwise, so that is a good place.
     */
    public ProjectionPipelineBuilder directory(Path directory) {
        this.directory = directory;
        return this;
    }

    /** Registers a projection with the default options (one partition, stop on poison). */
    public ProjectionPipelineBuilder add(Projection<?, ?> projection) {
        return add(projection, ProjectionOptions.defaults());
    }

    public ProjectionPipelineBuilder add(Projection<?, ?> projection, ProjectionOptions options) {
        if (projection == null) {
            throw new ValidationException("projection", null, "must not be null");
        }
        if (options == null) {
            throw new ValidationException("options", null, "must not be null (use ProjectionOptions.defaults())");
        }
        registrations.add(new Registration(projection, options));
        return this;
    }

    /** Lets {@code provider} register its projections (and decoder) here. */
    public ProjectionPipelineBuilder with(ProjectionProvider provider) {
        provider.configure(this);
        return this;
    }

    /** How events are decoded (once, for every projection); {@link EventDecoder#json()} by default. */
    public ProjectionPipelineBuilder decoder(EventDecoder decoder) {
        this.decoder = decoder;
        return this;
    }

    /** Slots in the ring between the tailer and the projectors (a power of two); 8192 by default. */
    public ProjectionPipelineBuilder ringSize(int slots) {
        this.ringSize = slots;
        return this;
    }

    /** The most events a projector applies before it commits, even inside a ring batch; 2048 by default. */
    public ProjectionPipelineBuilder maxBatchEvents(int events) {
        this.maxBatchEvents = events;
        return this;
    }

    /**
     * The Disruptor wait strategy of each ring (one instance per ring); {@link BlockingWaitStrategy} by default,
     * which sleeps idle threads: spinning strategies starve a machine with fewer cores than pipeline threads.
     */
    public ProjectionPipelineBuilder waitStrategy(Supplier<WaitStrategy> waitStrategy) {
        this.waitStrategy = waitStrategy;
        return this;
    }

    /** Where the pipeline's meters go; Micrometer's global registry by default. */
    public ProjectionPipelineBuilder meterRegistry(MeterRegistry registry) {
        this.meterRegistry = registry;
        return this;
    }

    /** How long {@link ReadModel#atLeast(long)} queries wait for their position; 5 seconds by default. */
    public ProjectionPipelineBuilder queryTimeout(Duration timeout) {
        this.queryTimeout = timeout;
        return this;
    }

    /** Validates the settings and opens the read models; call {@link ProjectionPipeline#start()} to follow the log. */
    public ProjectionPipeline open() {
        return DisruptorProjectionPipeline.open(settings());
    }

    PipelineSettings settings() {
        if (store == null) {
            throw new ValidationException("store", null, "must not be null");
        }
        if (directory == null) {
            throw new ValidationException("directory", null, "must be set");
        }
        if (registrations.isEmpty()) {
            throw new ValidationException("projections", "none", "must hold at least one projection");
        }
        Set<String> names = new HashSet<>();
        for (Registration registration : registrations) {
            Projection<?, ?> projection = registration.projection();
            String name = projection.name();
            if (name == null || !NAME.matcher(name).matches()) {
                throw new ValidationException("projection.name", name, "must match " + NAME.pattern());
            }
            if (!names.add(name)) {
                throw new ValidationException("projection.name", name, "must be unique in a pipeline");
            }
            if (projection.generation() < 1) {
                throw new ValidationException("projection.generation", projection.generation(), "must be >= 1 (projection " + name + ")");
            }
            if (projection.keyCodec() == null || projection.valueCodec() == null) {
                throw new ValidationException("projection.codecs", name, "must have a key codec and a value codec");
            }
        }
        if (decoder == null) {
            throw new ValidationException("decoder", null, "must not be null");
        }
        if (ringSize < 2 || Integer.bitCount(ringSize) != 1) {
            throw new ValidationException("ringSize", ringSize, "must be a power of two >= 2");
        }
        if (maxBatchEvents < 1) {
            throw new ValidationException("maxBatchEvents", maxBatchEvents, "must be >= 1");
        }
        if (waitStrategy == null) {
            throw new ValidationException("waitStrategy", null, "must not be null");
        }
        if (meterRegistry == null) {
            throw new ValidationException("meterRegistry", null, "must not be null");
        }
        if (queryTimeout == null || queryTimeout.isNegative()) {
            throw new ValidationException("queryTimeout", queryTimeout, "must be >= 0");
        }
        return new PipelineSettings(store, directory.toAbsolutePath().normalize(), List.copyOf(registrations), decoder,
                ringSize, maxBatchEvents, waitStrategy, meterRegistry, queryTimeout);
    }
}
