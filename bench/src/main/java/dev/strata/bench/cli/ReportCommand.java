package dev.strata.bench.cli;

import dev.strata.bench.report.ReportWriter;
import dev.strata.bench.report.SuiteResult;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code strata bench report}: RESULTS.md and charts from a suite's JSON result (no measuring). */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = "Write RESULTS.md and charts/*.svg from the JSON result of 'strata bench all'.")
public final class ReportCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--in", required = true, paramLabel = "FILE", description = "The suite's JSON result.")
    Path in;

    @Option(names = "--to", defaultValue = "bench", paramLabel = "DIR", description = "Where RESULTS.md and charts/ go (default: ${DEFAULT-VALUE}).")
    Path to;

    @Override
    public Integer call() {
        ReportWriter.write(SuiteResult.read(in), to);
        spec.commandLine().getOut().println("wrote " + to.resolve("RESULTS.md") + " and " + to.resolve("charts"));
        return 0;
    }
}
