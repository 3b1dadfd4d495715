package dev.strata.bench.report;

import dev.strata.bench.load.Latency;
import dev.strata.bench.load.Measurement;

/**
 * One measured value of one run: what a workload hands to the report.
 *
 * @param section    the section it belongs to (see {@link Sections})
 * @param scenario   the load, in a few words ("1 thread, 1 event/append")
 * @param system     what was measured ("strata-fsync", "postgres-table", "raw-chronicle")
 * @param durability what an acknowledgement meant, or "-" where it does not apply
 * @param value      the figure
 * @param unit       its unit ("events/s", "ops/us")
 * @param baseline   the system this one is compared with in the same scenario and run, or null
 * @param latency    latency percentiles of the run, or null
 * @param problem    why the figure is not clean (errors, missed conflicts), or null
 */
public record Figure(String section, String scenario, String system, String durability, double value, String unit,
                     String baseline, Latency latency, String problem) {

    /** An append run's throughput (events/s) with its latency; flagged if it had errors. */
    public static Figure of(String section, String scenario, Measurement m, String baseline) {
        String problem = m.clean() ? null : m.errors() + " errors, " + m.conflictsDetected() + " of " + m.conflictsInjected()
                + " injected conflicts detected" + (m.firstError() == null ? "" : "; first: " + m.firstError());
        return new Figure(section, scenario, m.target(), m.durability(), m.eventsPerSecond(), "events/s", baseline, m.latency(), problem);
    }
}
