package dev.strata.bench.cli;

import dev.strata.bench.load.Folders;
import dev.strata.bench.load.Payload;
import dev.strata.bench.workloads.ReadWorkload;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code strata bench read}: global-log replay beside a raw Chronicle tail, and whole-stream reads. */
@Command(name = "read", mixinStandardHelpOptions = true,
        description = "Fill a store, then read the whole global log (beside a raw Chronicle tail) and whole streams from several threads.")
public final class ReadCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--events", defaultValue = "2000000", description = "Events in the store (default: ${DEFAULT-VALUE}).")
    long events;

    @Option(names = "--streams", defaultValue = "10000", description = "Streams (Zipf) (default: ${DEFAULT-VALUE}).")
    int streams;

    @Option(names = "--event-size", defaultValue = "200", description = "Bytes per event (default: ${DEFAULT-VALUE}).")
    int eventSize;

    @Option(names = "--readers", defaultValue = "2", description = "Stream-reading threads (default: ${DEFAULT-VALUE}).")
    int readers;

    @Option(names = "--duration", defaultValue = "5", description = "Seconds of stream reads per run (default: ${DEFAULT-VALUE}).")
    double duration;

    @Option(names = "--runs", defaultValue = "3", description = "Runs on the same store (default: ${DEFAULT-VALUE}).")
    int runs;

    @Option(names = "--json", paramLabel = "FILE", description = "Write the result to FILE.")
    Path json;

    @Override
    public Integer call() throws Exception {
        Path folder = Files.createTempDirectory("strata-bench-read");
        try {
            Cli.runAndReport(spec, List.of(new ReadWorkload(folder.resolve("store"), events, streams, Payload.of(eventSize), readers, duration)),
                    runs, json, Map.of());
            return 0;
        } finally {
            Folders.delete(folder);
        }
    }
}
