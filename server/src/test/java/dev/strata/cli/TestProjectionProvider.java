package dev.strata.cli;

import dev.strata.projections.KeyCodec;
import dev.strata.projections.PoisonPolicy;
import dev.strata.projections.Projection;
import dev.strata.projections.ProjectionOptions;
import dev.strata.projections.ProjectionPipelineBuilder;
import dev.strata.projections.ProjectionProvider;
import dev.strata.projections.ValueCodec;
import java.util.concurrent.atomic.AtomicBoolean;

/** The projections the command line tests find on the classpath, as an application would register them. */
public final class TestProjectionProvider implements ProjectionProvider {

    /** While true, the "picky" projection throws on events of type Poison. */
    static final AtomicBoolean POISONED = new AtomicBoolean(true);

    static final Projection<String, Long> COUNTS = Projection.of("counts", KeyCodec.string(), ValueCodec.int64(),
            (event, model) -> model.put(event.stream(), model.get(event.stream()).orElse(0L) + 1));

    static final Projection<String, Long> PICKY = Projection.of("picky", KeyCodec.string(), ValueCodec.int64(), (event, model) -> {
        if (event.type().equals("Poison") && POISONED.get()) {
            throw new IllegalStateException("poison in " + event.stream());
        }
        model.put(event.stream(), model.get(event.stream()).orElse(0L) + 1);
    });

    @Override
    public void configure(ProjectionPipelineBuilder pipeline) {
        pipeline.add(COUNTS).add(PICKY, ProjectionOptions.defaults().withPoisonPolicy(PoisonPolicy.PARK));
    }
}
