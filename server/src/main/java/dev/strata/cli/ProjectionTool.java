package dev.strata.cli;

import dev.strata.eventstore.EventStore;
import dev.strata.eventstore.ValidationException;
import dev.strata.projections.ProjectionPipeline;
import dev.strata.projections.ProjectionPipelineBuilder;
import dev.strata.projections.ProjectionProvider;
import java.nio.file.Path;
import java.util.ServiceLoader;

/**
 * Opens the read models of a store for the command line's projection tools, with the projections the application
 * registers through {@link ProjectionProvider}s on the classpath. The store takes its writer lock: the application
 * must not be running on the same data.
 */
final class ProjectionTool {

    private ProjectionTool() {
    }

    /** Where the read models live unless told otherwise: {@code <store>/projections}. */
    static Path readModels(Path data, Path readModels) {
        return readModels != null ? readModels : data.resolve("projections");
    }

    static ProjectionPipeline open(EventStore store, Path readModels) {
        ProjectionPipelineBuilder builder = ProjectionPipeline.builder(store).directory(readModels);
        int providers = 0;
        for (ProjectionProvider provider : ServiceLoader.load(ProjectionProvider.class)) {
            provider.configure(builder);
            providers++;
        }
        if (providers == 0) {
            throw new ValidationException("projections", "none",
                    "must be registered by a dev.strata.projections.ProjectionProvider on the classpath (META-INF/services)");
        }
        return builder.open();
    }
}
