package dev.strata.bench.workloads;

import dev.strata.bench.load.AppendDriver;
import dev.strata.bench.load.AppendLoad;
import dev.strata.bench.load.AppendTarget;
import dev.strata.bench.load.Measurement;
import dev.strata.bench.load.Progress;
import dev.strata.bench.report.Figure;
import java.util.List;

/**
 * One target under one append load, on a fresh target every run (a new store folder, a new table, a new topic), so
 * runs do not inherit each other's data.
 */
public final class AppendCell implements Workload {

    /** Opens a fresh target for one run. */
    @FunctionalInterface
    public interface TargetOpener {
        AppendTarget open(AppendLoad load) throws Exception;
    }

    private final String section;
    private final String scenario;
    private final String system;
    private final AppendLoad load;
    private final TargetOpener opener;
    private final String baseline;

    public AppendCell(String section, String scenario, String system, AppendLoad load, TargetOpener opener, String baseline) {
        this.section = section;
        this.scenario = scenario;
        this.system = system;
        this.load = load;
        this.opener = opener;
        this.baseline = baseline;
    }

    public String system() {
        return system;
    }

    @Override
    public String label() {
        return section + " | " + scenario + " | " + system;
    }

    @Override
    public double estimatedSeconds() {
        return (load.warmup().toMillis() + load.measure().toMillis()) / 1000.0 + 0.5;
    }

    @Override
    public List<Figure> measure(int run, Progress progress) throws Exception {
        try (AppendTarget target = opener.open(load)) {
            Measurement measurement = AppendDriver.run(target, load, progress, system + ", " + scenario);
            Figure figure = Figure.of(section, scenario, measurement, baseline);
            return List.of(new Figure(section, scenario, system, figure.durability(), figure.value(), figure.unit(), baseline,
                    figure.latency(), figure.problem()));
        }
    }
}
