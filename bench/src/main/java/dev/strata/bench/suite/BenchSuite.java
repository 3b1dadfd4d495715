package dev.strata.bench.suite;

import static dev.strata.bench.peers.Targets.AXON;
import static dev.strata.bench.peers.Targets.KAFKA;
import static dev.strata.bench.peers.Targets.POSTGRES;
import static dev.strata.bench.peers.Targets.POSTGRES_ASYNC;
import static dev.strata.bench.peers.Targets.RAW_CHRONICLE;
import static dev.strata.bench.peers.Targets.RAW_FSYNC;
import static dev.strata.bench.peers.Targets.RAW_ROCKSDB;
import static dev.strata.bench.peers.Targets.STRATA_FSYNC;
import static dev.strata.bench.peers.Targets.STRATA_OS;
import static dev.strata.bench.peers.Targets.STRATA_SERVER;
import static dev.strata.bench.peers.Targets.STRATA_SERVER_HTTP;

import dev.strata.bench.load.AppendLoad;
import dev.strata.bench.load.Folders;
import dev.strata.bench.load.Payload;
import dev.strata.bench.load.Progress;
import dev.strata.bench.peers.SharedServers;
import dev.strata.bench.peers.Targets;
import dev.strata.bench.relay.RelayWorkload;
import dev.strata.bench.report.Assembly;
import dev.strata.bench.report.Environment;
import dev.strata.bench.report.Figure;
import dev.strata.bench.report.Sections;
import dev.strata.bench.report.SuiteResult;
import dev.strata.bench.workloads.AppendCell;
import dev.strata.bench.workloads.ProjectWorkload;
import dev.strata.bench.workloads.ReadWorkload;
import dev.strata.bench.workloads.SubscribeWorkload;
import dev.strata.bench.workloads.WarmUp;
import dev.strata.bench.workloads.Workload;
import dev.strata.eventstore.Durability;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The whole comparison in one run: every section's workloads, run after run (run 1 of everything, then run 2, ...)
 * so each ratio compares figures measured close together; then the JMH suites. Peers' servers start once and are
 * shared by all runs. A workload that fails is reported as not measured, with its reason, and the suite goes on.
 */
public final class BenchSuite {

    private BenchSuite() {
    }

    public static SuiteResult run(SuiteOptions options, String command, Progress progress) throws Exception {
        Instant started = Instant.now();
        String loadAtStart = Environment.currentLoadAverage();
        long start = System.nanoTime();
        List<String> notMeasured = new ArrayList<>();
        Assembly assembly = new Assembly();
        java.nio.file.Files.createDirectories(options.work());
        try (SharedServers servers = new SharedServers(options.work(), options.kafkaWarmup(), progress)) {
            List<Workload> plan = plan(options, servers);
            double estimate = plan.stream().mapToDouble(Workload::estimatedSeconds).sum() * options.runs();
            progress.report(String.format(Locale.ROOT, "strata bench: %d workloads x %d runs, about %.0f s before JMH%s", plan.size(),
                    options.runs(), estimate, options.jmh() ? " (JMH: about " + (options.quick() ? 1 : 3) + " min)" : ""));
            Set<String> failed = new LinkedHashSet<>();
            for (int run = 0; run < options.runs(); run++) {
                assembly.newRun();
                progress.report(String.format(Locale.ROOT, "run %d of %d (%.0f s elapsed)", run + 1, options.runs(), (System.nanoTime() - start) / 1e9));
                for (Workload workload : plan) {
                    String key = workload instanceof AppendCell cell ? cell.system() : workload.label();
                    if (failed.contains(key)) {
                        continue;
                    }
                    try {
                        for (Figure figure : workload.measure(run, progress)) {
                            assembly.add(figure);
                        }
                    } catch (Exception | LinkageError e) {
                        failed.add(key);
                        String reason = e.getClass().getSimpleName() + ": " + e.getMessage() + (e.getCause() == null ? "" : " (" + e.getCause() + ")");
                        notMeasured.add(key + ": failed in run " + (run + 1) + " at '" + workload.label() + "': " + reason);
                        progress.report("  NOT MEASURED " + key + ": " + reason);
                    }
                }
            }
            for (Workload workload : plan) {
                workload.close();
            }
            if (options.jmh() && (options.includes(Sections.JMH) || options.includes(Sections.SAGA))) {
                List<List<Figure>> jmh = JmhSuite.run(options, progress, notMeasured);
                for (int run = 0; run < jmh.size(); run++) {
                    for (Figure figure : jmh.get(run)) {
                        assembly.add(run, figure);
                    }
                }
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            Environment environment = Environment.capture(command, options.quick(), options.runs(), started, seconds, loadAtStart,
                    servers.postgresSettings(), notMeasured);
            return new SuiteResult(environment, assembly.sections());
        } finally {
            Folders.delete(options.work());
        }
    }

    /** The plan as text, with the estimated time, without measuring anything ({@code strata bench all --plan}). */
    public static List<String> describe(SuiteOptions options) {
        List<String> lines = new ArrayList<>();
        try (SharedServers servers = new SharedServers(options.work(), options.kafkaWarmup(), Progress.NONE)) {
            double perRun = 0;
            for (Workload workload : plan(options, servers)) {
                lines.add(String.format(Locale.ROOT, "%6.1f s  %s", workload.estimatedSeconds(), workload.label()));
                perRun += workload.estimatedSeconds();
            }
            double jmh = options.jmh() ? JmhSuite.ENTRIES.size() * (options.quick() ? 15 : 25) : 0;
            lines.add(String.format(Locale.ROOT, "about %.1f min: %.0f s per run x %d runs, plus JMH about %.0f s, plus start-up "
                    + "(PostgreSQL, Kafka and its %d s warm-up) and filling stores", (perRun * options.runs() + jmh) / 60, perRun,
                    options.runs(), jmh, options.kafkaWarmup().toSeconds()));
        }
        return lines;
    }

    /** Every workload of the suite, in the order each run measures them. */
    static List<Workload> plan(SuiteOptions options, SharedServers servers) {
        List<Workload> plan = new ArrayList<>();
        AppendLoad base = AppendLoad.defaults().withTimes(options.warmup(), options.measure());
        if (options.includes(Sections.PEERS_SINGLE)) {
            for (int threads : options.singleThreads()) {
                AppendLoad load = base.withConcurrency(threads);
                String scenario = threads(threads) + ", 1 event/append";
                cell(plan, servers, options, Sections.PEERS_SINGLE, scenario, STRATA_FSYNC, load, RAW_FSYNC);
                cell(plan, servers, options, Sections.PEERS_SINGLE, scenario, STRATA_OS, load, RAW_CHRONICLE);
                for (String peer : List.of(AXON, POSTGRES, POSTGRES_ASYNC, KAFKA)) {
                    cell(plan, servers, options, Sections.PEERS_SINGLE, scenario, peer, load, STRATA_FSYNC);
                }
                for (String raw : List.of(RAW_FSYNC, RAW_CHRONICLE)) {
                    cell(plan, servers, options, Sections.PEERS_SINGLE, scenario, raw, load, null);
                }
            }
            // the version checks are real: 5% of appends carry a stale expected version, and each must be refused
            AppendLoad stale = base.withConcurrency(16).withConflictRate(0.05);
            String conflicts = "16 threads, 1 event/append, 5% stale expected versions";
            cell(plan, servers, options, Sections.PEERS_SINGLE, conflicts, STRATA_FSYNC, stale, null);
            cell(plan, servers, options, Sections.PEERS_SINGLE, conflicts, AXON, stale, STRATA_FSYNC);
            cell(plan, servers, options, Sections.PEERS_SINGLE, conflicts, POSTGRES, stale, STRATA_FSYNC);
            AppendLoad many = base.withConcurrency(options.durableThreads());
            String scenario = threads(options.durableThreads()) + ", 1 event/append";
            cell(plan, servers, options, Sections.PEERS_SINGLE, scenario, STRATA_FSYNC, many, RAW_FSYNC);
            cell(plan, servers, options, Sections.PEERS_SINGLE, scenario, RAW_FSYNC, many, null);
        }
        if (options.includes(Sections.PEERS_BATCH)) {
            AppendLoad tens = base.withConcurrency(options.batchThreads()).withBatchSize(10);
            String ten = threads(options.batchThreads()) + ", 10 events/append";
            cell(plan, servers, options, Sections.PEERS_BATCH, ten, STRATA_FSYNC, tens, RAW_FSYNC);
            cell(plan, servers, options, Sections.PEERS_BATCH, ten, AXON, tens, STRATA_FSYNC);
            cell(plan, servers, options, Sections.PEERS_BATCH, ten, RAW_FSYNC, tens, null);
            AppendLoad hundreds = base.withConcurrency(options.batchThreads()).withBatchSize(100);
            String hundred = threads(options.batchThreads()) + ", 100 events/append";
            cell(plan, servers, options, Sections.PEERS_BATCH, hundred, STRATA_FSYNC, hundreds, RAW_FSYNC);
            for (String peer : List.of(POSTGRES, POSTGRES_ASYNC, KAFKA)) {
                cell(plan, servers, options, Sections.PEERS_BATCH, hundred, peer, hundreds, STRATA_FSYNC);
            }
            for (String raw : List.of(RAW_FSYNC, RAW_CHRONICLE, RAW_ROCKSDB)) {
                cell(plan, servers, options, Sections.PEERS_BATCH, hundred, raw, hundreds, null);
            }
        }
        if (options.includes(Sections.LATENCY)) {
            AppendLoad fixed = base.withConcurrency(16).withRate(options.fixedRate());
            String scenario = String.format(Locale.ROOT, "16 threads, %,.0f appends/s offered, 1 event/append", options.fixedRate());
            for (String target : List.of(STRATA_FSYNC, STRATA_OS, AXON, POSTGRES, POSTGRES_ASYNC, KAFKA)) {
                cell(plan, servers, options, Sections.LATENCY, scenario, target, fixed, null);
            }
        }
        if (options.includes(Sections.PIPELINED)) {
            AppendLoad pipelined = base.withInFlight(4096);
            String scenario = "one appender, 200 B events, 10,000 streams";
            plan.add(new AppendCell(Sections.PIPELINED, scenario, "strata-os, 1 event/append, 4096 in flight", pipelined,
                    Targets.opener(STRATA_OS, servers, options.work()), "raw-chronicle, 1 event/excerpt"));
            // the same 4096 events in flight: 41 appends of 100
            plan.add(new AppendCell(Sections.PIPELINED, scenario, "strata-os, 100 events/append, 41 in flight", pipelined.withBatchSize(100).withInFlight(41),
                    Targets.opener(STRATA_OS, servers, options.work()), "raw-chronicle, 1 event/excerpt"));
            plan.add(new AppendCell(Sections.PIPELINED, scenario, "raw-chronicle, 1 event/excerpt", base,
                    Targets.opener(RAW_CHRONICLE, servers, options.work()), null));
            // Kafka as a pipelined log: the producer keeps sending while acknowledgements come back (page-cache durability, as OS)
            plan.add(new AppendCell(Sections.PIPELINED, scenario, "kafka-producer, 1 record/append, 4096 in flight", pipelined,
                    Targets.opener(KAFKA, servers, options.work()), "strata-os, 1 event/append, 4096 in flight"));
        }
        if (options.includes(Sections.SERVER)) {
            // issue 8: the same appends through a server on loopback (remote client, HTTP) beside the embedded store
            // The JDK's HTTP client behind the remote client needs about 20 s of load to warm up here (ANALYSIS.md point 5).
            for (String target : List.of(STRATA_SERVER_HTTP, STRATA_SERVER)) {
                int seconds = options.quick() ? 1 : target.equals(STRATA_SERVER) ? 20 : 7;
                AppendLoad warmUp = base.withConcurrency(16).withTimes(Duration.ofSeconds(seconds), Duration.ofMillis(200));
                plan.add(new WarmUp(new AppendCell(Sections.SERVER, "warm-up", target, warmUp,
                        Targets.opener(target, servers, options.work()), null), options.runs()));
            }
            for (int batch : new int[] {1, 100}) {
                AppendLoad load = base.withConcurrency(16).withBatchSize(batch);
                String scenario = "16 threads, " + batch + (batch == 1 ? " event" : " events") + "/append";
                cell(plan, servers, options, Sections.SERVER, scenario, STRATA_FSYNC, load, null);
                cell(plan, servers, options, Sections.SERVER, scenario, STRATA_SERVER, load, STRATA_FSYNC);
                cell(plan, servers, options, Sections.SERVER, scenario, STRATA_SERVER_HTTP, load, STRATA_FSYNC);
            }
            plan.add(new SubscribeWorkload(options.work(), 3, Math.min(options.backlog(), 100_000), base.withConcurrency(4),
                    Durability.FSYNC, true));
        }
        if (options.includes(Sections.READ)) {
            plan.add(new ReadWorkload(options.work().resolve("read-store"), options.readEvents(), 10_000, Payload.of(200), 2,
                    options.measure().toMillis() / 1000.0));
        }
        if (options.includes(Sections.SUBSCRIBE)) {
            plan.add(new SubscribeWorkload(options.work(), 4, options.backlog(), base.withConcurrency(4), Durability.OS));
        }
        if (options.includes(Sections.RELAY)) {
            plan.add(new RelayWorkload(options.work(), servers, options.relayEvents(), options.relayWarmup(), options.relaySeconds(),
                    Targets.KAFKA_PARTITIONS, 2_000));
        }
        if (options.includes(Sections.PROJECT)) {
            plan.add(new ProjectWorkload(options.work().resolve("project"), options.projectEvents(), 10_000, options.rebuildEvents()));
        }
        return plan;
    }

    private static void cell(List<Workload> plan, SharedServers servers, SuiteOptions options, String section, String scenario,
                             String target, AppendLoad load, String baseline) {
        plan.add(new AppendCell(section, scenario, target, load, Targets.opener(target, servers, options.work()), baseline));
    }

    private static String threads(int count) {
        return count == 1 ? "1 thread" : count + " threads";
    }
}
