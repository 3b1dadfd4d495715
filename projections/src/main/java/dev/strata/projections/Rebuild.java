package dev.strata.projections;

import java.time.Duration;

/**
 * A rebuild of a projection into a new generation while the current one keeps answering: the new generation is
 * built from position 0 with side effects suppressed, joins the live pipeline, and once it has caught up it can be
 * compared with the serving one and switched in atomically; the old generation is then dropped. A rebuild survives
 * a restart of the pipeline (it goes on from its own checkpoint).
 */
public interface Rebuild {

    String projection();

    /** The generation being built. */
    long generation();

    RebuildStatus status();

    /** Waits until both generations hold the same events ({@link RebuildPhase#CAUGHT_UP}); false on timeout. */
    boolean awaitCaughtUp(Duration timeout);

    /**
     * Compares the new generation with the serving one at one consistent moment (both at the same checkpoint).
     *
     * @throws ProjectionStateException unless {@link RebuildPhase#CAUGHT_UP}
     */
    ComparisonReport compare(Comparison comparison);

    /**
     * Makes the new generation the serving one, atomically for readers, then drops the old one.
     *
     * @throws ProjectionStateException unless {@link RebuildPhase#CAUGHT_UP}
     */
    void switchOver();

    /** Stops the rebuild and drops the new generation; the serving one is untouched. */
    void cancel();
}
