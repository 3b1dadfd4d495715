package dev.strata.bench.cli;

import dev.strata.bench.load.Progress;
import dev.strata.bench.report.Assembly;
import dev.strata.bench.report.Environment;
import dev.strata.bench.report.Figure;
import dev.strata.bench.report.ReportWriter;
import dev.strata.bench.report.Section;
import dev.strata.bench.report.SuiteResult;
import dev.strata.bench.workloads.Workload;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Model.CommandSpec;

/** What the bench subcommands share: running a workload for some runs, printing its table, writing its JSON. */
final class Cli {

    private Cli() {
    }

    /** The command as typed (for the result file and the report). */
    static String command(CommandSpec spec) {
        // the original arguments of the whole command line: "bench <workload> <options>"
        return "strata " + String.join(" ", spec.commandLine().getParseResult().originalArgs());
    }

    static Progress progress(CommandSpec spec) {
        PrintWriter err = spec.commandLine().getErr();
        return line -> {
            err.println(line);
            err.flush();
        };
    }

    /** Measures {@code workloads} for {@code runs} runs, prints the tables, writes {@code json} if set. */
    static SuiteResult runAndReport(CommandSpec spec, List<Workload> workloads, int runs, Path json, Map<String, String> postgres)
            throws Exception {
        Instant started = Instant.now();
        String load = Environment.currentLoadAverage();
        long start = System.nanoTime();
        Assembly assembly = new Assembly();
        Progress progress = progress(spec);
        try {
            for (int run = 0; run < runs; run++) {
                assembly.newRun();
                for (Workload workload : workloads) {
                    for (Figure figure : workload.measure(run, progress)) {
                        assembly.add(figure);
                    }
                }
            }
        } finally {
            for (Workload workload : workloads) {
                workload.close();
            }
        }
        SuiteResult result = new SuiteResult(Environment.capture(command(spec), false, runs, started, (System.nanoTime() - start) / 1e9,
                load, postgres, List.of()), assembly.sections());
        PrintWriter out = spec.commandLine().getOut();
        for (Section section : result.sections()) {
            out.println("## " + section.title() + " (median of " + runs + " run" + (runs == 1 ? "" : "s") + ")");
            out.print(ReportWriter.table(section));
            out.println();
        }
        out.flush();
        if (json != null) {
            result.write(json);
            progress.report("wrote " + json);
        }
        return result;
    }
}
