package dev.strata.bench.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code strata bench}: the load generator, the peer comparison, the report, and JMH. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Benchmarks: Strata's workloads, side by side with its peers and raw limits.",
                "'strata bench all' reruns the whole comparison and rewrites bench/RESULTS.md and bench/charts/."},
        subcommands = {AllCommand.class, AppendCommand.class, ReadCommand.class, SubscribeCommand.class, ProjectCommand.class,
            ReportCommand.class, JmhCommand.class})
public final class BenchCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
