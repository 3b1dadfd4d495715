package dev.strata.saga;

import dev.strata.eventstore.Durability;
import dev.strata.eventstore.EventStore;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The crash test's child JVM: opens the store, resumes unfinished sagas, starts the missing ones of
 * {@code s<from>..s<to-1>} one every few milliseconds, prints progress, and prints DONE once every saga below
 * {@code to} is finished. The parent kills it with SIGKILL at random moments; only the last run ends normally.
 */
public final class CrashChild {

    private CrashChild() {
    }

    public static void main(String[] args) throws Exception {
        Path storeDir = Path.of(args[0]);
        Path viewDir = Path.of(args[1]);
        int from = Integer.parseInt(args[2]);
        int sagas = Integer.parseInt(args[3]);
        try (EventStore store = EventStore.builder().directory(storeDir).durability(Durability.OS).open()) {
            SagaDefinition<Trip> saga = CrashSaga.definition(store);
            try (SagaOrchestrator orchestrator = SagaOrchestrator.builder(store).register(saga).viewDirectory(viewDir).start()) {
                System.out.println("READY");
                // the view has caught up with the log (start waits for it): it knows every saga started before
                Set<String> existing = new HashSet<>();
                orchestrator.view().search(SagaQuery.all().type(CrashSaga.TYPE).limit(Integer.MAX_VALUE))
                        .forEach(summary -> existing.add(summary.sagaId()));
                for (int i = from; i < sagas; i++) {
                    String id = "s" + i;
                    if (!existing.contains(id)) {
                        orchestrator.start(saga, id, Trip.named("trip-" + i));
                        Thread.sleep(5);
                    }
                }
                System.out.println("ALL-STARTED");
                while (true) {
                    List<SagaSummary> all = orchestrator.view().search(SagaQuery.all().type(CrashSaga.TYPE).limit(Integer.MAX_VALUE));
                    long finished = all.stream().filter(summary -> summary.status().isFinished()).count();
                    all.stream().filter(summary -> summary.status() == SagaStatus.STUCK)
                            .forEach(summary -> System.out.println("STUCK " + summary.sagaId() + " " + summary.reason()));
                    System.out.println("FINISHED " + finished);
                    if (finished == sagas && orchestrator.activeSagas() == 0) {
                        break;
                    }
                    Thread.sleep(50);
                }
            }
        }
        System.out.println("DONE");
    }
}
