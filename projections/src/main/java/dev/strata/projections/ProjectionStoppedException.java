package dev.strata.projections;

/** The projection stopped on a poison event before reaching what was asked; it waits for {@link ProjectionPipeline#resume}. */
public class ProjectionStoppedException extends ProjectionException {

    private final ProjectionFailure failure;

    public ProjectionStoppedException(ProjectionFailure failure) {
        super(failure.describe());
        this.failure = failure;
    }

    public ProjectionFailure failure() {
        return failure;
    }
}
