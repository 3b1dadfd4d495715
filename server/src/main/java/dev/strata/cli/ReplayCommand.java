package dev.strata.cli;

import dev.strata.eventstore.EventStore;
import dev.strata.projections.ComparisonReport;
import dev.strata.projections.ProjectionPipeline;
import dev.strata.projections.ReplayListener;
import dev.strata.projections.ReplayProgress;
import dev.strata.projections.ReplayRequest;
import dev.strata.projections.ReplayResult;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code strata replay}: rebuilds one read model offline from the log into a new generation, with a progress bar on a
 * terminal (plain progress lines otherwise), optionally verifies it against the serving generation, and switches.
 */
@Command(name = "replay", mixinStandardHelpOptions = true,
        description = {"Rebuild a projection's read model offline from the log (the application must be stopped).",
                "Builds a new generation with side effects suppressed, then makes it the serving one."})
public final class ReplayCommand implements Callable<Integer>, CommandProvider {

    @Option(names = "--data", required = true, description = "Store folder.")
    Path data;

    @Option(names = "--projection", required = true, description = "The projection to rebuild.")
    String projection;

    @Option(names = "--generation", description = "The generation to build (default: the next one). "
            + "Naming an unfinished one goes on with it.")
    Long generation;

    @Option(names = "--from", description = "First position to apply (default: 0).")
    Long from;

    @Option(names = "--verify", description = "Compare with the serving generation at its checkpoint; "
            + "switch only if identical (exit 1 otherwise).")
    boolean verify;

    @Option(names = "--read-models", description = "Read models folder (default: <data>/projections).")
    Path readModels;

    @Spec
    CommandSpec spec;

    @Override
    public String name() {
        return "replay";
    }

    @Override
    public Object command() {
        return new ReplayCommand();
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        ReplayRequest request = new ReplayRequest(projection,
                generation == null ? OptionalLong.empty() : OptionalLong.of(generation),
                from == null ? OptionalLong.empty() : OptionalLong.of(from), verify);
        ReplayListener progress = System.console() != null ? new ProgressBar(out) : new ProgressLines(out);
        try (EventStore store = EventStore.open(data);
             ProjectionPipeline pipeline = ProjectionTool.open(store, ProjectionTool.readModels(data, readModels))) {
            ReplayResult result = pipeline.replay(request, progress);
            if (progress instanceof ProgressBar) {
                out.println();
            }
            if (result.comparison().isPresent()) {
                ComparisonReport report = result.comparison().get();
                out.println("verify: " + report.summary());
                for (ComparisonReport.Difference difference : report.examples()) {
                    out.printf("  %s: %s -> %s%n", difference.key(), difference.oldValue(), difference.newValue());
                }
            }
            out.flush();
            if (!result.switched()) {
                spec.commandLine().getErr().printf("strata replay: generation %d of %s differs from generation %d in %d rows;"
                                + " generation %d keeps serving%n", result.generation(), projection,
                        result.previousGeneration().orElse(0), result.comparison().map(ComparisonReport::differences).orElse(0L),
                        result.previousGeneration().orElse(0));
                return 1;
            }
            double seconds = Math.max(0.001, result.elapsed().toMillis() / 1000.0);
            out.printf("replayed %s into generation %d: %,d events (positions %d..%d) in %.1f s, %,.0f events/s%s;"
                            + " generation %d serves now%n", projection, result.generation(), result.events(), result.from(),
                    result.position(), seconds, result.events() / seconds,
                    result.parked() > 0 ? ", " + result.parked() + " parked" : "", result.generation());
            return 0;
        }
    }

    static String eta(Duration eta) {
        long seconds = eta.toSeconds();
        return seconds >= 3600 ? String.format("%d:%02d:%02d", seconds / 3600, seconds / 60 % 60, seconds % 60)
                : String.format("%d:%02d", seconds / 60, seconds % 60);
    }

    /** On a terminal: one line redrawn in place. */
    static final class ProgressBar implements ReplayListener {
        private static final int WIDTH = 30;
        private final PrintWriter out;

        ProgressBar(PrintWriter out) {
            this.out = out;
        }

        @Override
        public synchronized void onProgress(ReplayProgress progress) {
            int filled = (int) Math.round(progress.fraction() * WIDTH);
            out.printf("\r[%s%s] %5.1f%%  position %,d / %,d  %,.0f events/s  ETA %s   ", "#".repeat(filled),
                    ".".repeat(WIDTH - filled), progress.fraction() * 100, Math.max(progress.position(), 0), progress.head(),
                    progress.eventsPerSecond(), eta(progress.eta()));
            out.flush();
        }
    }

    /** Not on a terminal (a log, a pipe): a plain line every few seconds, and at the end. */
    static final class ProgressLines implements ReplayListener {
        private static final long EVERY_NANOS = Duration.ofSeconds(2).toNanos();
        private final PrintWriter out;
        private long last;

        ProgressLines(PrintWriter out) {
            this.out = out;
        }

        @Override
        public synchronized void onProgress(ReplayProgress progress) {
            long now = System.nanoTime();
            boolean done = progress.position() >= progress.head();
            if (last != 0 && now - last < EVERY_NANOS && !done) {
                return;
            }
            last = now;
            out.printf("replay %s generation %d: position %d of %d (%.1f%%), %.0f events/s, ETA %s%n", progress.projection(),
                    progress.generation(), progress.position(), progress.head(), progress.fraction() * 100,
                    progress.eventsPerSecond(), eta(progress.eta()));
            out.flush();
        }
    }
}
