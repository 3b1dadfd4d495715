package dev.strata.projections;

/** The steps of a rebuild, in order. */
public enum RebuildPhase {
    /** The new generation is built from the log on its own threads, away from the live pipeline. */
    BACKFILLING,
    /** The live pipeline writes both generations; the new one is closing the last gap. */
    JOINING,
    /** Both generations hold exactly the same events at every commit: ready to compare and switch. */
    CAUGHT_UP,
    /** The new generation serves; the old one is dropped. */
    SWITCHED,
    /** The rebuild was cancelled and its generation dropped. */
    CANCELLED,
    /** The new generation stopped on a poison event; see {@link RebuildStatus#failure()}. */
    FAILED
}
