package dev.strata.projections;

import java.time.Duration;

/** A wait for a position ended before the projection reached it. Retryable: the projection is still moving. */
public class ProjectionTimeoutException extends ProjectionException {

    private final String projection;
    private final long position;
    private final long reached;

    public ProjectionTimeoutException(String projection, long position, long reached, Duration timeout) {
        super("projection " + projection + " did not reach position " + position + " within " + timeout.toMillis()
                + " ms (it is at " + reached + ")");
        this.projection = projection;
        this.position = position;
        this.reached = reached;
    }

    public String projection() {
        return projection;
    }

    public long position() {
        return position;
    }

    public long reached() {
        return reached;
    }

    @Override
    public boolean isRetryable() {
        return true;
    }
}
