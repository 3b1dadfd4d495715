package dev.strata.projections;

import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What an offline replay did.
 *
 * @param previousGeneration the generation that served before (empty if none)
 * @param switched           whether the new generation now serves (false when a verification found differences)
 * @param comparison         the verification's report, if one was asked for and there was a generation to compare with
 */
public record ReplayResult(String projection, long generation, OptionalLong previousGeneration, long from,
                           long position, long events, Duration elapsed, long parked, boolean switched,
                           Optional<ComparisonReport> comparison) {
}
