package dev.strata.eventstore;

/** The direction of a finite stream read. */
public enum Direction {
    FORWARD,
    BACKWARD
}
