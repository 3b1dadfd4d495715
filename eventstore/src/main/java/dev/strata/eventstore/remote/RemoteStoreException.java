package dev.strata.eventstore.remote;

import dev.strata.eventstore.EventStoreException;
import java.time.Duration;
import java.util.Optional;

/**
 * A failure only a store behind HTTP has: no or a wrong token ({@code 401}), a token without the permission
 * ({@code 403}), too many requests ({@code 429}, retryable after {@link #retryAfter()}), or an answer the client does not
 * understand. Failures the embedded store has too come back as their own types (see the package documentation).
 */
public class RemoteStoreException extends EventStoreException {

    private final int status;
    private final String type;
    private final Duration retryAfter;

    public RemoteStoreException(int status, String type, String message, Duration retryAfter) {
        super(message);
        this.status = status;
        this.type = type;
        this.retryAfter = retryAfter;
    }

    /** The HTTP status of the answer. */
    public int status() {
        return status;
    }

    /** The problem type URI (see {@link ProblemType}), or {@code about:blank}. */
    public String type() {
        return type;
    }

    /** How long the server asked to wait before trying again ({@code Retry-After}), if it said. */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }

    /** Too many requests and an unavailable server pass; a refused token or permission does not. */
    @Override
    public boolean isRetryable() {
        return status == 429 || status == 502 || status == 503 || status == 504;
    }
}
