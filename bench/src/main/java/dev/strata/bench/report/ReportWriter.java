package dev.strata.bench.report;

import dev.strata.bench.load.Latency;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Writes {@code RESULTS.md} and its charts ({@code charts/*.svg}) from a suite's JSON result: the machine, the
 * commit, the exact command, one table (and chart) per section, the durability of every system, and what could not
 * be measured. Charts of an earlier report are removed first, so the folder holds exactly what the text links to.
 */
public final class ReportWriter {

    private ReportWriter() {
    }

    /** Writes {@code RESULTS.md} and {@code charts/} into {@code folder}. */
    public static void write(SuiteResult result, Path folder) {
        try {
            Path charts = folder.resolve("charts");
            Files.createDirectories(charts);
            try (Stream<Path> old = Files.list(charts)) {
                for (Path file : old.filter(p -> p.toString().endsWith(".svg")).toList()) {
                    Files.delete(file);
                }
            }
            Map<String, List<String>> chartFiles = new LinkedHashMap<>();
            for (Section section : result.sections()) {
                List<String> files = new ArrayList<>();
                if (section.id().equals(Sections.JMH)) {
                    chartFiles.put(section.id(), files);
                    continue;
                }
                boolean latencyFirst = section.id().equals(Sections.LATENCY);
                String bars = latencyFirst ? null : SvgCharts.bars(section);
                if (bars != null) {
                    files.add(write(charts, section.id() + "-throughput.svg", bars));
                }
                // latency charts where latency is the point: the fixed-rate comparison and the subscribers' live lag
                // (at max rate, latency is service time under saturation: it is in the JSON result, not charted)
                boolean charted = latencyFirst || section.id().equals(Sections.SUBSCRIBE) || section.id().equals(Sections.SERVER);
                String latency = charted ? SvgCharts.latency(section) : null;
                if (latency != null) {
                    files.add(write(charts, section.id() + "-latency.svg", latency));
                }
                chartFiles.put(section.id(), files);
            }
            Files.writeString(folder.resolve("RESULTS.md"), markdown(result, chartFiles), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the report into " + folder, e);
        }
    }

    private static String write(Path charts, String name, String svg) throws IOException {
        Files.writeString(charts.resolve(name), svg, StandardCharsets.UTF_8);
        return "charts/" + name;
    }

    static String markdown(SuiteResult result, Map<String, List<String>> chartFiles) {
        Environment env = result.environment();
        StringBuilder md = new StringBuilder();
        md.append("# Strata benchmark results\n\n");
        if (env.quick()) {
            md.append("> **SMOKE RUN (`--quick`)**: every measurement was cut to a fraction of a second to prove that the whole\n"
                    + "> pipeline runs end to end. These figures are NOT results: do not quote them. Rerun `bench/run-all.sh`\n"
                    + "> without `--quick` on a quiet machine for figures.\n\n");
        }
        md.append(String.format(Locale.ROOT, "Generated on %s from commit `%s` in %.1f minutes by:%n%n```%n%s%n```%n%n",
                env.started(), env.commit(), env.seconds() / 60, env.command()));
        md.append("## Machine and software\n\n| | |\n|---|---|\n");
        md.append(row("CPU", env.cpu() + " (" + env.cores() + " cores)"));
        md.append(row("memory", env.memoryMiB() + " MiB"));
        md.append(row("OS", env.os()));
        md.append(row("JDK", env.jdk()));
        md.append(row("JVM options", env.jvmArgs().isBlank() ? "(defaults) + the Chronicle flags" : "`" + env.jvmArgs() + "` + the Chronicle flags"));
        md.append(row("load average (1, 5, 15 min) at start -> end", env.loadAverage()));
        if (env.postgres() != null && !env.postgres().isEmpty()) {
            md.append(row("PostgreSQL (embedded, as SHOW reported)", String.join(", ", env.postgres().entrySet().stream()
                    .map(e -> e.getKey() + "=" + e.getValue()).toList())));
        }
        md.append(row("Kafka", env.kafka()));
        md.append(row("Axon", env.axon()));
        md.append("\n## How the figures are computed\n\n");
        md.append("- Every figure is the **median of " + env.runs() + " runs**, with the minimum and maximum of the runs beside it.\n");
        md.append("- The runs interleave (run 1 of every system, then run 2, ...), so the two sides of a comparison are measured\n"
                + "  close together. A **ratio is computed within each run** (this run's figure over the baseline's figure in the\n"
                + "  same run) and the table gives the median ratio with its min-max over runs.\n");
        md.append("- Throughput counts only acknowledged events completed inside the measured window, after a warm-up.\n");
        md.append("- Latency is HdrHistogram, from when an append was due to its acknowledgement; at a fixed rate an append is due\n"
                + "  on the schedule, which corrects for coordinated omission.\n");
        md.append("- The durability of every system is stated below: compare rows of equal durability for like with like.\n");
        md.append("- A row marked **(!)** had errors or an injected expected-version conflict that was not detected; its problems\n"
                + "  are listed under the table.\n");
        for (Section section : result.sections()) {
            md.append("\n## ").append(section.title()).append("\n\n");
            if (!section.description().isBlank()) {
                md.append(section.description()).append("\n\n");
            }
            for (String chart : chartFiles.getOrDefault(section.id(), List.of())) {
                md.append("![").append(section.title()).append("](").append(chart).append(")\n\n");
            }
            if (section.id().equals(Sections.LATENCY)) {
                latencyTable(md, section);
            } else {
                table(md, section);
            }
            List<String> problems = new ArrayList<>();
            for (Row row : section.rows()) {
                row.problems().forEach(p -> problems.add(row.system() + " (" + row.scenario() + "): " + p));
            }
            if (!problems.isEmpty()) {
                md.append("\nProblems:\n\n");
                problems.forEach(p -> md.append("- ").append(p).append('\n'));
            }
        }
        md.append("\n## Durability of each system\n\n| system | an acknowledged append is |\n|---|---|\n");
        Map<String, String> durability = new LinkedHashMap<>();
        for (Section section : result.sections()) {
            for (Row row : section.rows()) {
                if (row.durability() != null && !row.durability().equals("-")) {
                    durability.putIfAbsent(row.system(), row.durability());
                }
            }
        }
        durability.forEach((system, text) -> md.append(row(system, text)));
        md.append("\n## Not measured here\n\n");
        if (env.notMeasured().isEmpty()) {
            md.append("Everything the suite covers was measured.\n");
        } else {
            env.notMeasured().forEach(n -> md.append("- ").append(n).append('\n'));
        }
        md.append("\n## Reproduce\n\n```\nbench/run-all.sh            # the whole comparison; rewrites bench/RESULTS.md and bench/charts/\n"
                + "bench/run-all.sh --quick    # a smoke run of every step (seconds per step, figures meaningless)\n```\n\n"
                + "The raw figures of every run are in the JSON result file the suite wrote (`--out`). How each workload and peer\n"
                + "works: [docs/benchmarks.md](../docs/benchmarks.md).\n");
        return md.toString();
    }

    /** A section's table as text (markdown), for the console. */
    public static String table(Section section) {
        StringBuilder text = new StringBuilder();
        if (section.id().equals(Sections.LATENCY)) {
            latencyTable(text, section);
        } else {
            table(text, section);
        }
        return text.toString();
    }

    private static void table(StringBuilder md, Section section) {
        boolean ratios = section.rows().stream().anyMatch(r -> r.baseline() != null);
        boolean latency = section.rows().stream().anyMatch(Row::hasLatency);
        md.append("| scenario | system | median | min | max | unit |").append(ratios ? " ratio: median (min-max) |" : "")
                .append(latency ? " latency p50 / p99 / p99.9 (us) |" : "").append('\n');
        md.append("|---|---|--:|--:|--:|---|").append(ratios ? "---|" : "").append(latency ? "--:|" : "").append('\n');
        for (Row row : section.rows()) {
            Stats stats = row.stats();
            md.append("| ").append(row.scenario()).append(" | ").append(row.system()).append(row.problems().isEmpty() ? "" : " **(!)**")
                    .append(" | ").append(number(stats.median())).append(" | ").append(number(stats.min())).append(" | ")
                    .append(number(stats.max())).append(" | ").append(row.unit()).append(" |");
            if (ratios) {
                Stats ratio = row.ratioStats();
                md.append(' ').append(row.baseline() == null || ratio.runs() == 0 ? "" : String.format(Locale.ROOT,
                        "%s (%s-%s) of %s", ratio(ratio.median()), ratio(ratio.min()), ratio(ratio.max()), row.baseline())).append(" |");
            }
            if (latency) {
                Stats[] percentiles = row.latencyStats();
                md.append(' ').append(row.hasLatency() ? number(percentiles[0].median()) + " / " + number(percentiles[2].median()) + " / "
                        + number(percentiles[3].median()) : "").append(" |");
            }
            md.append('\n');
        }
    }

    private static void latencyTable(StringBuilder md, Section section) {
        md.append("| scenario | system | achieved events/s | samples per run |");
        for (String name : Latency.PERCENTILE_NAMES) {
            md.append(' ').append(name).append(" (us) |");
        }
        md.append("\n|---|---|--:|--:|");
        md.append("--:|".repeat(Latency.PERCENTILE_NAMES.length)).append('\n');
        for (Row row : section.rows()) {
            md.append("| ").append(row.scenario()).append(" | ").append(row.system()).append(row.problems().isEmpty() ? "" : " **(!)**")
                    .append(" | ").append(number(row.stats().median())).append(" | ")
                    .append(number(Stats.of(row.latencies().stream().filter(l -> l != null).map(l -> (double) l.count()).toList()).median()))
                    .append(" |");
            for (Stats stats : row.latencyStats()) {
                md.append(' ').append(stats.runs() == 0 ? "-" : number(stats.median())).append(" |");
            }
            md.append('\n');
        }
    }

    private static String row(String name, String value) {
        return "| " + name + " | " + value.replace("|", "\\|") + " |\n";
    }

    /** 1,234,567 for large figures, three significant digits for small ones. */
    public static String number(double value) {
        if (Double.isNaN(value)) {
            return "-";
        }
        if (Math.abs(value) >= 100) {
            return String.format(Locale.ROOT, "%,.0f", value);
        }
        if (value == 0) {
            return "0";
        }
        return String.format(Locale.ROOT, "%.3g", value);
    }

    static String ratio(double value) {
        return Double.isNaN(value) ? "-" : String.format(Locale.ROOT, "%.2f", value);
    }

    /** 1k, 10k, 1M: axis labels. */
    public static String shortNumber(double value) {
        if (value >= 1e9) {
            return trim(value / 1e9) + "G";
        }
        if (value >= 1e6) {
            return trim(value / 1e6) + "M";
        }
        if (value >= 1e3) {
            return trim(value / 1e3) + "k";
        }
        return trim(value);
    }

    private static String trim(double value) {
        return value == Math.rint(value) ? Long.toString((long) value) : String.format(Locale.ROOT, "%s", (float) value);
    }
}
