package dev.strata.projections;

import java.util.Optional;

/**
 * A projection's figures at one moment (the same as its meters).
 *
 * @param checkpoint      the position up to which the serving generation applied every event (-1: none)
 * @param headPosition    the store's last acknowledged position
 * @param lag             events behind the head
 * @param eventsPerSecond events applied per second over the last few seconds
 * @param meanBatchSize   mean events per committed write batch since start
 * @param parked          parked events of the serving generation
 */
public record ProjectionStatus(String name, long generation, ProjectionState state, long checkpoint, long headPosition,
                               long lag, double eventsPerSecond, double meanBatchSize, long parked, int partitions,
                               Optional<ProjectionFailure> failure, Optional<RebuildStatus> rebuild) {
}
