package dev.strata.bench.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class AssemblyTest {

    private static Figure figure(String system, double value, String baseline) {
        return new Figure(Sections.PEERS_SINGLE, "1 thread", system, "on disk", value, "events/s", baseline, null, null);
    }

    @Test
    void ratiosAreTakenWithinEachRunNotBetweenMedians() {
        Assembly assembly = new Assembly();
        double[][] runs = {{100, 10}, {200, 40}, {300, 10}}; // {strata, peer}: per-run ratios 0.1, 0.2, 0.033
        for (double[] run : runs) {
            assembly.newRun();
            assembly.add(figure("strata-fsync", run[0], null));
            assembly.add(figure("postgres-table", run[1], "strata-fsync"));
        }
        Row peer = assembly.sections().get(0).rows().get(1);
        assertThat(peer.system()).isEqualTo("postgres-table");
        assertThat(peer.stats().median()).isEqualTo(10);
        assertThat(peer.stats().min()).isEqualTo(10);
        assertThat(peer.stats().max()).isEqualTo(40);
        // median of per-run ratios (0.1), not median(peer) / median(strata) = 10 / 200 = 0.05
        assertThat(peer.ratioStats().median()).isCloseTo(0.1, within(1e-12));
        assertThat(peer.ratioStats().min()).isCloseTo(10.0 / 300, within(1e-12));
        assertThat(peer.ratioStats().max()).isCloseTo(0.2, within(1e-12));
    }

    @Test
    void aBaselineMissingFromARunGivesNoRatioForThatRun() {
        Assembly assembly = new Assembly();
        assembly.newRun();
        assembly.add(figure("strata-fsync", 100, null));
        assembly.add(figure("kafka-producer", 50, "strata-fsync"));
        assembly.newRun();
        assembly.add(figure("kafka-producer", 70, "strata-fsync"));
        Row kafka = assembly.sections().get(0).rows().get(1);
        assertThat(kafka.values()).containsExactly(50.0, 70.0);
        assertThat(kafka.ratios()).containsExactly(0.5, null);
        assertThat(kafka.ratioStats().runs()).isEqualTo(1);
    }

    @Test
    void sectionsComeInReportOrderAndFiguresAddedLaterGoToTheirRun() {
        Assembly assembly = new Assembly();
        assembly.add(2, new Figure(Sections.JMH, "X", "a", "-", 3, "ops/us", null, null, null));
        assembly.add(0, new Figure(Sections.JMH, "X", "a", "-", 1, "ops/us", null, null, null));
        assembly.add(0, figure("strata-fsync", 5, null));
        List<Section> sections = assembly.sections();
        assertThat(sections).extracting(Section::id).containsExactly(Sections.PEERS_SINGLE, Sections.JMH);
        assertThat(sections.get(1).rows().get(0).values()).containsExactly(1.0, 3.0);
        assertThat(assembly.runCount()).isEqualTo(3);
    }

    @Test
    void mediansOfOddAndEvenCounts() {
        assertThat(Stats.of(List.of(3.0, 1.0, 2.0)).median()).isEqualTo(2.0);
        assertThat(Stats.of(List.of(4.0, 1.0, 2.0, 3.0)).median()).isEqualTo(2.5);
        assertThat(Stats.of(List.of()).runs()).isZero();
    }
}
