package dev.strata.bench.cli;

import dev.strata.bench.load.Folders;
import dev.strata.bench.report.ReportWriter;
import dev.strata.bench.report.SuiteResult;
import dev.strata.bench.suite.BenchSuite;
import dev.strata.bench.suite.SuiteOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code strata bench all}: the whole comparison, its JSON result, RESULTS.md and the charts. */
@Command(name = "all", mixinStandardHelpOptions = true,
        description = {"Run every workload, peer and raw limit side by side (medians of --runs), then the JMH suites;",
                "write the JSON result and rewrite RESULTS.md and charts/ in --report-dir."})
public final class AllCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--quick", description = "A smoke run: every step cut to a fraction of a second; the report says so.")
    boolean quick;

    @Option(names = "--runs", description = "Runs (default: 3).")
    Integer runs;

    @Option(names = "--warmup", description = "Warm-up seconds of each append cell (default: 1; quick: 0.2).")
    Double warmup;

    @Option(names = "--measure", description = "Measured seconds of each append cell (default: 2.5; quick: 0.5).")
    Double measure;

    @Option(names = "--rebuild-events", description = "Events of the timed rebuild; 0 skips it (default: 10,000,000; quick: 20,000).")
    Long rebuildEvents;

    @Option(names = "--no-jmh", description = "Skip the JMH suites.")
    boolean noJmh;

    @Option(names = "--only", split = ",", paramLabel = "SECTION",
            description = "Only these sections: peers-single, peers-batch, latency, pipelined, server, read, subscribe, relay, project, saga, jmh.")
    Set<String> only = Set.of();

    @Option(names = "--out", paramLabel = "FILE", description = "The JSON result: every run's figures and the machine (default: results.json in --report-dir).")
    Path out;

    @Option(names = "--report-dir", defaultValue = "bench", paramLabel = "DIR",
            description = "Where RESULTS.md and charts/ are written (default: ${DEFAULT-VALUE}).")
    Path reportDir;

    @Option(names = "--no-report", description = "Only write the JSON result.")
    boolean noReport;

    @Option(names = "--plan", description = "Print what would run and the estimated time, and measure nothing.")
    boolean planOnly;

    @Option(names = "--work", paramLabel = "DIR", description = "Scratch folder (default: a new temporary folder; deleted after).")
    Path work;

    @Override
    public Integer call() throws Exception {
        Path scratch = work != null ? work : Files.createTempDirectory("strata-bench");
        SuiteOptions options = quick ? SuiteOptions.quick(scratch) : SuiteOptions.full(scratch);
        try {
            if (runs != null) {
                options = options.withRuns(runs);
            }
            if (warmup != null || measure != null) {
                options = options.withTimes(AppendCommand.seconds(warmup != null ? warmup : options.warmup().toMillis() / 1000.0),
                        AppendCommand.seconds(measure != null ? measure : options.measure().toMillis() / 1000.0));
            }
            if (rebuildEvents != null) {
                options = options.withRebuildEvents(rebuildEvents);
            }
            if (options.runs() < 1) {
                throw new IllegalArgumentException("runs must be >= 1 but was " + options.runs());
            }
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        options = options.withJmh(!noJmh).withOnly(only);
        if (planOnly) {
            BenchSuite.describe(options).forEach(spec.commandLine().getOut()::println);
            if (work == null) {
                Folders.delete(scratch);
            }
            return 0;
        }
        Path json = out != null ? out : reportDir.resolve("results.json");
        SuiteResult result = BenchSuite.run(options, Cli.command(spec), Cli.progress(spec));
        result.write(json);
        spec.commandLine().getErr().println("wrote " + json);
        if (!noReport) {
            ReportWriter.write(result, reportDir);
            spec.commandLine().getErr().println("wrote " + reportDir.resolve("RESULTS.md") + " and " + reportDir.resolve("charts"));
        }
        spec.commandLine().getErr().printf(Locale.ROOT, "strata bench all: done in %.1f minutes; %d item(s) not measured%n",
                result.environment().seconds() / 60, result.environment().notMeasured().size());
        return 0;
    }
}
