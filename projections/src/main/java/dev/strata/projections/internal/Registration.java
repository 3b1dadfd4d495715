package dev.strata.projections.internal;

import dev.strata.projections.Projection;
import dev.strata.projections.ProjectionOptions;

/** A projection and how to run it. */
public record Registration(Projection<?, ?> projection, ProjectionOptions options) {
}
