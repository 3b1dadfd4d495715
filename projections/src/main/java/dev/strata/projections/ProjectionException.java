package dev.strata.projections;

/**
 * The root of every failure the projections module reports (bad input is a
 * {@link dev.strata.eventstore.ValidationException}, as everywhere in Strata). Unchecked; each subtype carries the
 * fields that explain it. {@link #isRetryable()} says whether the same call may succeed later.
 */
public abstract class ProjectionException extends RuntimeException {

    protected ProjectionException(String message) {
        super(message);
    }

    protected ProjectionException(String message, Throwable cause) {
        super(message, cause);
    }

    public boolean isRetryable() {
        return false;
    }
}
