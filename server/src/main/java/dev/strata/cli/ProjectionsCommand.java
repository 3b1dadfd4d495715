package dev.strata.cli;

import dev.strata.eventstore.EventStore;
import dev.strata.projections.ParkedEvent;
import dev.strata.projections.ProjectionPipeline;
import dev.strata.projections.ProjectionStatus;
import dev.strata.projections.RetryResult;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code strata projections status|parked|retry}: the read models of a stopped application, as its
 * {@link dev.strata.projections.ProjectionProvider}s register them.
 */
@Command(name = "projections", mixinStandardHelpOptions = true,
        description = "Inspect projections offline: status, parked events, retry of parked events.",
        subcommands = {ProjectionsCommand.Status.class, ProjectionsCommand.Parked.class, ProjectionsCommand.Retry.class})
public final class ProjectionsCommand implements CommandProvider, Callable<Integer> {

    @Option(names = "--data", required = true, scope = picocli.CommandLine.ScopeType.INHERIT, description = "Store folder.")
    Path data;

    @Option(names = "--read-models", scope = picocli.CommandLine.ScopeType.INHERIT,
            description = "Read models folder (default: <data>/projections).")
    Path readModels;

    @Spec
    CommandSpec spec;

    @Override
    public String name() {
        return "projections";
    }

    @Override
    public Object command() {
        return new ProjectionsCommand();
    }

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getOut());
        return 2;
    }

    private interface Work {
        int run(ProjectionPipeline pipeline, PrintWriter out);
    }

    private int withPipeline(CommandSpec sub, Work work) {
        PrintWriter out = sub.commandLine().getOut();
        try (EventStore store = EventStore.open(data);
             ProjectionPipeline pipeline = ProjectionTool.open(store, ProjectionTool.readModels(data, readModels))) {
            int code = work.run(pipeline, out);
            out.flush();
            return code;
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true, description = "Each projection's generation, checkpoint, lag, parked events.")
    static final class Status implements Callable<Integer> {
        @ParentCommand
        ProjectionsCommand parent;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            return parent.withPipeline(spec, (pipeline, out) -> {
                out.printf("%-24s %10s %12s %12s %10s %8s  %s%n", "projection", "generation", "checkpoint", "head", "lag", "parked", "rebuild");
                for (ProjectionStatus status : pipeline.status()) {
                    out.printf("%-24s %10d %12d %12d %10d %8d  %s%n", status.name(), status.generation(), status.checkpoint(),
                            status.headPosition(), status.lag(), status.parked(),
                            status.rebuild().map(r -> "generation " + r.generation() + " at " + r.checkpoint() + " (" + r.phase() + ")").orElse("-"));
                }
                return 0;
            });
        }
    }

    @Command(name = "parked", mixinStandardHelpOptions = true, description = "List a projection's parked events.")
    static final class Parked implements Callable<Integer> {
        @ParentCommand
        ProjectionsCommand parent;

        @Spec
        CommandSpec spec;

        @Option(names = "--projection", required = true, description = "The projection.")
        String projection;

        @Option(names = "--limit", defaultValue = "100", description = "At most this many (default: ${DEFAULT-VALUE}).")
        int limit;

        @Override
        public Integer call() {
            return parent.withPipeline(spec, (pipeline, out) -> {
                List<ParkedEvent> parked = pipeline.parked(projection, limit);
                long total = pipeline.status(projection).parked();
                out.printf("%d parked events of %s (generation %d)%s%n", total, projection, pipeline.status(projection).generation(),
                        total > parked.size() ? ", the first " + parked.size() : "");
                for (ParkedEvent event : parked) {
                    out.printf("  key %s  position %d  %s %s  event %s  parked %s: %s%n", event.key(), event.position(), event.type(),
                            event.stream(), event.eventId(), event.parkedAt(), event.error());
                }
                return 0;
            });
        }
    }

    @Command(name = "retry", mixinStandardHelpOptions = true,
            description = "Apply a projection's parked events again, in order per key (all keys, or one).")
    static final class Retry implements Callable<Integer> {
        @ParentCommand
        ProjectionsCommand parent;

        @Spec
        CommandSpec spec;

        @Option(names = "--projection", required = true, description = "The projection.")
        String projection;

        @Option(names = "--key", description = "Only this key (default: every parked key).")
        String key;

        @Override
        public Integer call() {
            return parent.withPipeline(spec, (pipeline, out) -> {
                RetryResult result = key == null ? pipeline.retryParked(projection) : pipeline.retryParked(projection, key);
                out.printf("retried parked events of %s: %d applied, %d still parked%n", projection, result.applied(), result.stillParked());
                if (result.stillParked() > 0) {
                    spec.commandLine().getErr().printf("strata projections retry: %d events of %s are still parked (they failed again;"
                            + " see strata projections parked)%n", result.stillParked(), projection);
                    return 1;
                }
                return 0;
            });
        }
    }
}
