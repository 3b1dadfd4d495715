package dev.strata.bench.cli;

import dev.strata.bench.load.AppendLoad;
import dev.strata.bench.load.Folders;
import dev.strata.bench.workloads.SubscribeWorkload;
import dev.strata.eventstore.Durability;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code strata bench subscribe}: K catch-up subscribers while appending. */
@Command(name = "subscribe", mixinStandardHelpOptions = true,
        description = "K subscribers catch up from position 0 of a pre-filled store while appenders keep appending.")
public final class SubscribeCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--subscribers", defaultValue = "4", description = "Subscribers (default: ${DEFAULT-VALUE}).")
    int subscribers;

    @Option(names = "--backlog", defaultValue = "1000000", description = "Events stored before they subscribe (default: ${DEFAULT-VALUE}).")
    long backlog;

    @Option(names = "--concurrency", defaultValue = "4", description = "Appender threads (default: ${DEFAULT-VALUE}).")
    int concurrency;

    @Option(names = "--durability", defaultValue = "OS", description = "FSYNC or OS (default: ${DEFAULT-VALUE}).")
    Durability durability;

    @Option(names = "--warmup", defaultValue = "1", description = "Warm-up seconds (default: ${DEFAULT-VALUE}).")
    double warmup;

    @Option(names = "--duration", defaultValue = "5", description = "Measured seconds per run (default: ${DEFAULT-VALUE}).")
    double duration;

    @Option(names = "--runs", defaultValue = "3", description = "Runs, each on a fresh store (default: ${DEFAULT-VALUE}).")
    int runs;

    @Option(names = "--json", paramLabel = "FILE", description = "Write the result to FILE.")
    Path json;

    @Override
    public Integer call() throws Exception {
        Path folder = Files.createTempDirectory("strata-bench-subscribe");
        try {
            AppendLoad load = AppendLoad.defaults().withConcurrency(concurrency)
                    .withTimes(AppendCommand.seconds(warmup), AppendCommand.seconds(duration));
            Cli.runAndReport(spec, List.of(new SubscribeWorkload(folder, subscribers, backlog, load, durability)), runs, json, Map.of());
            return 0;
        } finally {
            Folders.delete(folder);
        }
    }
}
