package dev.strata.server;

import dev.strata.eventstore.ValidationException;

/**
 * A token bucket per client (per access token, or per client address when auth is off): it holds up to {@code burst}
 * requests and refills at {@code perSecond}. A request that finds it empty gets {@code 429 Too Many Requests} with a
 * {@code Retry-After} in whole seconds. {@code /health} is never limited.
 */
public record RateLimit(double perSecond, int burst) {

    public RateLimit {
        if (!(perSecond > 0) || Double.isInfinite(perSecond)) {
            throw new ValidationException("rateLimit.perSecond", perSecond, "must be a positive number of requests per second");
        }
        if (burst < 1) {
            throw new ValidationException("rateLimit.burst", burst, "must be >= 1");
        }
    }

    /** {@code perSecond} requests a second, with a burst of one second's worth (at least 1). */
    public static RateLimit perSecond(double perSecond) {
        return new RateLimit(perSecond, (int) Math.max(1, Math.ceil(perSecond)));
    }

    @Override
    public String toString() {
        return (perSecond == Math.rint(perSecond) ? Long.toString((long) perSecond) : Double.toString(perSecond))
                + " requests/s per client, burst " + burst;
    }
}
