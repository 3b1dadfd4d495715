package dev.strata.projections;

import java.util.Optional;

/** Where a rebuild stands: the generation it builds, its phase, and how far the new generation got. */
public record RebuildStatus(String projection, long generation, RebuildPhase phase, long checkpoint, long lag,
                            Optional<ProjectionFailure> failure) {
}
