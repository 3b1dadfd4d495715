package dev.strata.bench.suite;

import dev.strata.bench.JvmFlags;
import dev.strata.bench.load.Progress;
import dev.strata.bench.report.Figure;
import dev.strata.bench.report.Sections;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * The JMH suites of the hot paths, run through JMH's runner with the Chronicle flags in every fork. Each
 * measurement iteration is one "run" of the report, so a JMH figure is the median of as many iterations as the
 * suite has runs. A suite that fails is reported as not measured; the others go on.
 */
final class JmhSuite {

    /**
     * A JMH include pattern, the parameter values to restrict it to (empty: all of the benchmark's own), the report
     * section its figures go to, and the unit to show (null: JMH's, e.g. ops/s).
     */
    record Entry(String include, Map<String, String[]> params, String section, String unit) {

        Entry(String include, Map<String, String[]> params) {
            this(include, params, Sections.JMH, null);
        }
    }

    static final List<Entry> ENTRIES = List.of(
            new Entry("dev\\.strata\\.bench\\.store\\.AppendPathBenchmark\\.", Map.of()),
            new Entry("dev\\.strata\\.bench\\.codec\\.RecordCodecBenchmark\\.", Map.of()),
            new Entry("dev\\.strata\\.bench\\.cloudevents\\.CloudEventsBenchmark\\.", Map.of()),
            new Entry("dev\\.strata\\.bench\\.index\\.IndexLookupBenchmark\\.", Map.of()),
            new Entry("dev\\.strata\\.bench\\.projections\\.ProjectionCommitBenchmark\\.", Map.of()),
            new Entry("dev\\.strata\\.bench\\.model\\.CommandHandlerBenchmark\\.", Map.of("cache", new String[] {"true"}, "snapshotEvery", new String[] {"0"})),
            // issue 6's bench: a 3-step saga with local participants, OS and FSYNC; 2,000 sagas per operation batch
            new Entry("dev\\.strata\\.bench\\.saga\\.SagaThroughputBenchmark\\.", Map.of(), Sections.SAGA, "sagas/s"));

    private JmhSuite() {
    }

    /** Figures per run index; failures are added to {@code notMeasured}. */
    static List<List<Figure>> run(SuiteOptions options, Progress progress, List<String> notMeasured) {
        List<List<Figure>> perRun = new ArrayList<>();
        for (Entry entry : ENTRIES) {
            if (!options.includes(entry.section())) {
                continue;
            }
            progress.report("  [jmh] " + entry.include().replace("\\", ""));
            ChainedOptionsBuilder builder = new OptionsBuilder()
                    .include(entry.include())
                    .forks(1)
                    .warmupIterations(options.quick() ? 1 : 2)
                    .warmupTime(options.quick() ? TimeValue.milliseconds(100) : TimeValue.seconds(1))
                    .measurementIterations(options.runs())
                    .measurementTime(options.quick() ? TimeValue.milliseconds(200) : TimeValue.seconds(1))
                    .timeUnit(TimeUnit.SECONDS) // one unit for every suite: operations per second
                    .jvmArgsAppend(JvmFlags.forThisJvm())
                    .shouldFailOnError(true)
                    .verbosity(options.quick() ? VerboseMode.SILENT : VerboseMode.NORMAL);
            entry.params().forEach(builder::param);
            try {
                Collection<RunResult> results = new Runner(builder.build()).run();
                for (RunResult result : results) {
                    add(perRun, result, entry);
                }
            } catch (RunnerException | RuntimeException e) {
                notMeasured.add("JMH " + entry.include().replace("\\", "") + ": " + e.getMessage());
            }
        }
        return perRun;
    }

    /** The durability a benchmark ran with, when it has a parameter for it. */
    private static String durability(BenchmarkParams params) {
        String value = params.getParamsKeys().contains("durability") ? params.getParam("durability") : null;
        return value == null ? "-" : dev.strata.bench.peers.StrataTarget.describe(dev.strata.eventstore.Durability.valueOf(value));
    }

    private static void add(List<List<Figure>> perRun, RunResult result, Entry entry) {
        BenchmarkParams params = result.getParams();
        String benchmark = params.getBenchmark();
        String[] parts = benchmark.split("\\.");
        String className = parts[parts.length - 2];
        StringBuilder system = new StringBuilder(parts[parts.length - 1]);
        if (!params.getParamsKeys().isEmpty()) {
            List<String> values = new ArrayList<>();
            for (String key : params.getParamsKeys()) {
                values.add(key + "=" + params.getParam(key));
            }
            system.append(" (").append(String.join(", ", values)).append(')');
        }
        String unit = entry.unit() != null ? entry.unit() : result.getPrimaryResult().getScoreUnit();
        int run = 0;
        for (BenchmarkResult fork : result.getBenchmarkResults()) {
            for (IterationResult iteration : fork.getIterationResults()) {
                while (perRun.size() <= run) {
                    perRun.add(new ArrayList<>());
                }
                perRun.get(run).add(new Figure(entry.section(), className, system.toString(), durability(params), iteration.getPrimaryResult().getScore(),
                        unit, null, null, null));
                run++;
            }
        }
        if (run == 0) {
            throw new IllegalStateException(String.format(Locale.ROOT, "JMH returned no iteration for %s", benchmark));
        }
    }
}
