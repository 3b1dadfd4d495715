package dev.strata.projections;

/** What a retry of parked events did: how many were applied, how many are still parked (they failed again). */
public record RetryResult(long applied, long stillParked) {
}
