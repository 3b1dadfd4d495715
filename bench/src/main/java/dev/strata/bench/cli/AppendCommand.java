package dev.strata.bench.cli;

import dev.strata.bench.load.AppendLoad;
import dev.strata.bench.load.Folders;
import dev.strata.bench.load.StreamPicker.Distribution;
import dev.strata.bench.peers.SharedServers;
import dev.strata.bench.peers.Targets;
import dev.strata.bench.workloads.AppendCell;
import dev.strata.bench.workloads.Workload;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code strata bench append}: the append workload against one or several targets, side by side in each run. */
@Command(name = "append", mixinStandardHelpOptions = true,
        description = {"Append load: N streams (Zipf or uniform), event size, batch size, concurrency, expected-version conflicts",
                "at a set rate, max rate or a fixed rate (coordinated-omission-corrected latency). Several --target values run",
                "side by side in each run; figures are medians over --runs."})
public final class AppendCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--target", split = ",", defaultValue = "strata-fsync", paramLabel = "NAME",
            description = "What to append to (comma-separated): strata-fsync, strata-os, strata-server-fsync, strata-server-http-fsync, axon-jdbc, postgres-table, postgres-table-async, "
                    + "kafka-producer, raw-fsync, raw-chronicle, raw-rocksdb (default: ${DEFAULT-VALUE}).")
    List<String> targets;

    @Option(names = "--streams", defaultValue = "10000", description = "Streams (default: ${DEFAULT-VALUE}).")
    int streams;

    @Option(names = "--distribution", defaultValue = "ZIPF", description = "ZIPF or UNIFORM (default: ${DEFAULT-VALUE}).")
    Distribution distribution;

    @Option(names = "--zipf-exponent", defaultValue = "0.99", description = "Zipf exponent (default: ${DEFAULT-VALUE}).")
    double zipfExponent;

    @Option(names = "--event-size", defaultValue = "200", description = "Bytes of JSON per event (default: ${DEFAULT-VALUE}).")
    int eventSize;

    @Option(names = "--batch", defaultValue = "1", description = "Events per append (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--concurrency", defaultValue = "1", description = "Appender threads (default: ${DEFAULT-VALUE}).")
    int concurrency;

    @Option(names = "--in-flight", defaultValue = "1", description = "Appends each thread keeps in flight (default: ${DEFAULT-VALUE}).")
    int inFlight;

    @Option(names = "--conflict-rate", defaultValue = "0", description = "Fraction of appends sent with a stale expected version (default: ${DEFAULT-VALUE}).")
    double conflictRate;

    @Option(names = "--rate", defaultValue = "0", description = "Fixed rate in appends/s over all threads; 0 = as fast as acknowledged (default: ${DEFAULT-VALUE}).")
    double rate;

    @Option(names = "--warmup", defaultValue = "2", description = "Warm-up seconds per run (default: ${DEFAULT-VALUE}).")
    double warmup;

    @Option(names = "--duration", defaultValue = "10", description = "Measured seconds per run (default: ${DEFAULT-VALUE}).")
    double duration;

    @Option(names = "--runs", defaultValue = "1", description = "Runs; figures are medians (default: ${DEFAULT-VALUE}).")
    int runs;

    @Option(names = "--json", paramLabel = "FILE", description = "Write the result (every run, with the machine) to FILE.")
    Path json;

    @Option(names = "--work", paramLabel = "DIR", description = "Scratch folder for stores and logs (default: a new temporary folder, deleted after).")
    Path work;

    @Option(names = "--kafka-warmup", defaultValue = "10", description = "Seconds the Kafka broker is warmed up before its first figure (default: ${DEFAULT-VALUE}).")
    double kafkaWarmup;

    @Override
    public Integer call() throws Exception {
        AppendLoad load;
        try {
            load = new AppendLoad(streams, distribution, zipfExponent, eventSize, batch, concurrency, inFlight, conflictRate, rate,
                    seconds(warmup), seconds(duration), 42);
            if (runs < 1) {
                throw new IllegalArgumentException("runs must be >= 1 but was " + runs);
            }
            targets.forEach(name -> Targets.opener(name, null, Path.of(".")));
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        Path folder = work != null ? work : Files.createTempDirectory("strata-bench-append");
        spec.commandLine().getErr().println("strata bench append: " + load.describe() + ", targets " + targets);
        try (SharedServers servers = new SharedServers(folder, seconds(kafkaWarmup), Cli.progress(spec))) {
            List<Workload> cells = new ArrayList<>();
            String scenario = load.describe();
            for (String target : targets) {
                cells.add(new AppendCell("append", scenario, target, load, Targets.opener(target, servers, folder), null));
            }
            var result = Cli.runAndReport(spec, cells, runs, json, servers.postgresSettings());
            long unclean = result.sections().stream().flatMap(s -> s.rows().stream()).filter(r -> !r.problems().isEmpty()).count();
            return unclean == 0 ? 0 : 1;
        } finally {
            if (work == null) {
                Folders.delete(folder);
            }
        }
    }

    static Duration seconds(double value) {
        if (value < 0 || Double.isNaN(value)) {
            throw new IllegalArgumentException("seconds must be >= 0 but was " + value);
        }
        return Duration.ofNanos((long) (value * 1e9));
    }
}
