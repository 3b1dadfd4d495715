package dev.strata.cli;

import dev.strata.eventstore.EventStore;
import dev.strata.eventstore.EventStoreReader;
import dev.strata.eventstore.RecordedEvent;
import dev.strata.saga.SagaLog;
import dev.strata.saga.SagaNotFoundException;
import dev.strata.saga.SagaQuery;
import dev.strata.saga.SagaStatus;
import dev.strata.saga.SagaSummary;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code strata sagas list|show|retry}: saga instances for operators. {@code list} and {@code show} read a snapshot
 * of the store, so they work beside a running application; {@code list} folds the saga streams in memory (the
 * application's saga view keeps its folder locked). {@code retry} writes, so it needs the store to itself: inside a
 * running application, retry through {@code SagaOrchestrator.retry}.
 */
@Command(name = "sagas", mixinStandardHelpOptions = true,
        description = "List, show and retry sagas.",
        subcommands = {SagasCommand.ListSagas.class, SagasCommand.ShowSaga.class, SagasCommand.RetrySaga.class})
public final class SagasCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return 2;
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List sagas, filtered by type, status, business key or id.")
    static final class ListSagas implements Callable<Integer> {

        @Mixin
        DataOption store;

        @Option(names = "--type", description = "Only sagas of this type.")
        String type;

        @Option(names = "--status", description = "Only sagas in this status: ${COMPLETION-CANDIDATES}.")
        SagaStatus status;

        @Option(names = "--key", description = "Only sagas with this business key.")
        String businessKey;

        @Option(names = "--id", description = "Only sagas with this id.")
        String id;

        @Option(names = "--limit", defaultValue = "100", description = "At most this many (default: ${DEFAULT-VALUE}).")
        int limit;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            try (EventStoreReader snapshot = EventStore.builder().directory(store.data).openReadOnly()) {
                List<SagaSummary> found = SagaLog.search(snapshot, new SagaQuery(type, id, status, businessKey, limit));
                if (found.isEmpty()) {
                    out.println("no sagas match");
                    return 0;
                }
                out.printf("%-16s %-24s %-13s %-18s %7s  %-20s %-24s %s%n", "TYPE", "ID", "STATUS", "STEP", "ATTEMPT", "BUSINESS KEY", "UPDATED", "REASON");
                for (SagaSummary saga : found) {
                    out.printf("%-16s %-24s %-13s %-18s %7d  %-20s %-24s %s%n", saga.sagaType(), saga.sagaId(), saga.status(),
                            orDash(saga.step()), saga.attempt(), orDash(saga.businessKey()), saga.updatedAt(), orDash(saga.reason()));
                }
                out.printf("%d saga%s%n", found.size(), found.size() == 1 ? "" : "s");
                return 0;
            }
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "Show one saga and every transition in its log.")
    static final class ShowSaga implements Callable<Integer> {

        @Mixin
        DataOption store;

        @Parameters(index = "0", description = "Saga type.")
        String type;

        @Parameters(index = "1", description = "Saga id.")
        String id;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            SagaLog.streamName(type, id); // bad arguments before touching the store
            try (EventStoreReader opened = EventStore.builder().directory(store.data).openReadOnly()) {
                SagaSummary saga = SagaLog.summary(opened, type, id).orElseThrow(() -> new SagaNotFoundException(type, id));
                out.printf("saga         %s/%s (stream %s)%n", saga.sagaType(), saga.sagaId(), saga.stream());
                out.printf("status       %s%n", saga.status());
                out.printf("step         %s (try %d)%n", orDash(saga.step()), saga.attempt());
                out.printf("business key %s%n", orDash(saga.businessKey()));
                out.printf("started      %s%n", saga.startedAt());
                out.printf("updated      %s (version %d, position %d)%n", saga.updatedAt(), saga.version(), saga.lastPosition());
                if (saga.reason() != null) {
                    out.printf("reason       %s%n", saga.reason());
                }
                out.println();
                for (RecordedEvent event : SagaLog.read(opened, type, id)) {
                    out.printf("%4d  %-27s %-22s %s%n", event.version(), event.timestamp(), event.type(), event.dataAsString());
                }
                return 0;
            }
        }
    }

    @Command(name = "retry", mixinStandardHelpOptions = true,
            description = "Retry a STUCK saga's compensation: recorded now, run by the application's orchestrator when it next starts.")
    static final class RetrySaga implements Callable<Integer> {

        @Mixin
        DataOption store;

        @Parameters(index = "0", description = "Saga type.")
        String type;

        @Parameters(index = "1", description = "Saga id.")
        String id;

        @Option(names = "--reason", defaultValue = "retried from the command line", description = "Why (kept in the saga's log).")
        String reason;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            SagaLog.streamName(type, id); // bad arguments before touching the store
            try (EventStore opened = EventStore.open(store.data)) {
                SagaSummary saga = SagaLog.retry(opened, opened.systemAppender(), type, id, reason);
                spec.commandLine().getOut().printf("saga %s/%s is %s again at the compensation of %s; the orchestrator resumes it when it starts%n",
                        type, id, saga.status(), orDash(saga.step()));
                return 0;
            }
        }
    }

    private static String orDash(String text) {
        return text == null ? "-" : text;
    }
}
