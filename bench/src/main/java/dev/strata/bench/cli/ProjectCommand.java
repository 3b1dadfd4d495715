package dev.strata.bench.cli;

import dev.strata.bench.load.Folders;
import dev.strata.bench.workloads.ProjectWorkload;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code strata bench project}: the projection pipeline beside a raw RocksDB loop, and a timed rebuild. */
@Command(name = "project", mixinStandardHelpOptions = true,
        description = "Projection pipeline throughput (1 and 3 projections, upserts and read-modify-writes) beside a raw RocksDB "
                + "WriteBatch loop, and an offline rebuild timed end to end.")
public final class ProjectCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--events", defaultValue = "1000000", description = "Events for the pipeline (default: ${DEFAULT-VALUE}).")
    long events;

    @Option(names = "--keys", defaultValue = "10000", description = "Accounts (read-model keys) (default: ${DEFAULT-VALUE}).")
    int keys;

    @Option(names = "--rebuild-events", defaultValue = "10000000", description = "Events for the rebuild; 0 skips it (default: ${DEFAULT-VALUE}).")
    long rebuildEvents;

    @Option(names = "--runs", defaultValue = "3", description = "Runs on the same stores (default: ${DEFAULT-VALUE}).")
    int runs;

    @Option(names = "--json", paramLabel = "FILE", description = "Write the result to FILE.")
    Path json;

    @Override
    public Integer call() throws Exception {
        Path folder = Files.createTempDirectory("strata-bench-project");
        try {
            Cli.runAndReport(spec, List.of(new ProjectWorkload(folder, events, keys, rebuildEvents)), runs, json, Map.of());
            return 0;
        } finally {
            Folders.delete(folder);
        }
    }
}
