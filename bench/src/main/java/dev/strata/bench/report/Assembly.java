package dev.strata.bench.report;

import dev.strata.bench.load.Latency;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Collects the figures of every run and turns them into sections of rows. A ratio is always computed inside one run
 * (this run's value over this run's baseline value), then summarized over runs: never a median over a median.
 */
public final class Assembly {

    private final List<List<Figure>> runs = new ArrayList<>();

    /** Starts the figures of a new run. */
    public void newRun() {
        runs.add(new ArrayList<>());
    }

    public void add(Figure figure) {
        if (runs.isEmpty()) {
            newRun();
        }
        runs.get(runs.size() - 1).add(figure);
    }

    /** Adds a figure to run {@code run} (0-based), for workloads measured outside the run loop (JMH iterations). */
    public void add(int run, Figure figure) {
        while (runs.size() <= run) {
            newRun();
        }
        runs.get(run).add(figure);
    }

    public int runCount() {
        return runs.size();
    }

    public List<Section> sections() {
        Map<String, Map<String, List<Figure[]>>> bySection = new LinkedHashMap<>();
        Map<String, Figure> firstSeen = new LinkedHashMap<>();
        for (int r = 0; r < runs.size(); r++) {
            for (Figure figure : runs.get(r)) {
                String key = figure.scenario() + "\u0000" + figure.system();
                List<Figure[]> perRun = bySection.computeIfAbsent(figure.section(), s -> new LinkedHashMap<>())
                        .computeIfAbsent(key, k -> new ArrayList<>());
                firstSeen.putIfAbsent(figure.section() + "\u0000" + key, figure);
                while (perRun.size() < runs.size()) {
                    perRun.add(new Figure[1]);
                }
                perRun.get(r)[0] = figure;
            }
        }
        List<Section> sections = new ArrayList<>();
        for (Map.Entry<String, Map<String, List<Figure[]>>> section : bySection.entrySet()) {
            List<Row> rows = new ArrayList<>();
            for (Map.Entry<String, List<Figure[]>> entry : section.getValue().entrySet()) {
                Figure first = firstSeen.get(section.getKey() + "\u0000" + entry.getKey());
                List<Double> values = new ArrayList<>();
                List<Double> ratios = new ArrayList<>();
                List<Latency> latencies = new ArrayList<>();
                List<String> problems = new ArrayList<>();
                for (int r = 0; r < runs.size(); r++) {
                    Figure figure = r < entry.getValue().size() ? entry.getValue().get(r)[0] : null;
                    if (figure == null) {
                        continue;
                    }
                    values.add(figure.value());
                    latencies.add(figure.latency());
                    if (figure.problem() != null) {
                        problems.add("run " + (r + 1) + ": " + figure.problem());
                    }
                    Double ratio = null;
                    if (figure.baseline() != null) {
                        Figure base = find(runs.get(r), figure.section(), figure.scenario(), figure.baseline());
                        if (base != null && base.value() > 0) {
                            ratio = figure.value() / base.value();
                        }
                    }
                    ratios.add(ratio);
                }
                rows.add(new Row(first.scenario(), first.system(), first.durability(), first.unit(), first.baseline(), values,
                        ratios, latencies, problems));
            }
            Sections.Info info = Sections.info(section.getKey());
            sections.add(new Section(section.getKey(), info.title(), info.description(), rows));
        }
        sections.sort(Comparator.comparingInt(s -> Sections.order(s.id())));
        return sections;
    }

    private static Figure find(List<Figure> run, String section, String scenario, String system) {
        for (Figure figure : run) {
            if (figure.section().equals(section) && figure.scenario().equals(scenario) && figure.system().equals(system)) {
                return figure;
            }
        }
        return null;
    }
}
