package dev.strata.projections;

/**
 * The call does not fit the state things are in: a pipeline not started (or already started), a rebuild that has not
 * caught up yet, a read model whose checkpoint is beyond the store's head. The message says which and what to do.
 */
public class ProjectionStateException extends ProjectionException {

    public ProjectionStateException(String message) {
        super(message);
    }
}
