package dev.strata.saga;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.eventstore.Direction;
import dev.strata.eventstore.Durability;
import dev.strata.eventstore.EventStore;
import dev.strata.eventstore.RecordedEvent;
import dev.strata.eventstore.testkit.ChildJvm;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills the orchestrator's JVM with SIGKILL at random moments, many times, while sagas run; then lets it finish and
 * checks: every saga ends completed or compensated (as its script says), no participant applied an idempotency key
 * twice, no compensation ran for a step that never took effect, and the saga logs hold one outcome per step.
 */
class SagaCrashIT {

    private static final int KILLS = 10;
    private static final int PER_RUN = 20;
    private static final int SAGAS = KILLS * PER_RUN;

    @TempDir
    Path dir;

    @Test
    void everySagaEndsCompletedOrCompensatedAcrossKills() throws Exception {
        Path storeDir = dir.resolve("store");
        Path viewDir = dir.resolve("saga-view");
        Path stderr = dir.resolve("child-stderr.txt");
        Random random = new Random(20261127);
        int killedMidRun = 0;
        for (int kill = 0; kill < KILLS; kill++) {
            // each run starts a batch of new sagas (and resumes the unfinished ones): every kill lands on work in progress
            try (ChildJvm child = ChildJvm.start(CrashChild.class, stderr, storeDir.toString(), viewDir.toString(),
                    Integer.toString(kill * PER_RUN), Integer.toString((kill + 1) * PER_RUN))) {
                String line;
                do {
                    line = child.nextLine(Duration.ofSeconds(60));
                    assertThat(line).as("child run %d did not report READY; see %s", kill, stderr).isNotNull();
                } while (!line.equals("READY"));
                Thread.sleep(20 + random.nextInt(300));
                boolean done = child.lines().contains("DONE");
                child.kill();
                if (!done) {
                    killedMidRun++;
                }
            }
        }
        try (ChildJvm last = ChildJvm.start(CrashChild.class, stderr, storeDir.toString(), viewDir.toString(), "0", Integer.toString(SAGAS))) {
            assertThat(last.waitFor(Duration.ofMinutes(3))).as("the last run exits normally; see %s", stderr).isZero();
            assertThat(last.drainedLines()).contains("DONE").noneMatch(line -> line.startsWith("STUCK"));
        }
        assertThat(killedMidRun).as("kills that landed while sagas ran").isGreaterThan(KILLS / 2);

        try (EventStore store = EventStore.builder().directory(storeDir).durability(Durability.OS).open()) {
            Map<String, Integer> applied = new HashMap<>();
            Set<String> compensated = new HashSet<>();
            for (String participant : CrashSaga.PARTICIPANTS) {
                try (var events = store.readStream(CrashSaga.effectsStream(participant), 0, Direction.FORWARD, Integer.MAX_VALUE)) {
                    for (RecordedEvent event : events.toList()) {
                        String key = event.dataAsString();
                        if (event.type().equals("Applied")) {
                            applied.merge(key, 1, Integer::sum);
                        } else {
                            assertThat(compensated.add(key)).as("compensation %s applied twice", key).isTrue();
                        }
                    }
                }
            }
            assertThat(applied).as("no idempotency key succeeded twice").allSatisfy((key, times) -> assertThat(times).as(key).isEqualTo(1));

            for (int i = 0; i < SAGAS; i++) {
                String id = "s" + i;
                SagaSummary summary = SagaLog.summary(store, CrashSaga.TYPE, id).orElseThrow();
                int failing = CrashSaga.failingStep(id);
                boolean completes = failing < 0 || failing >= CrashSaga.STEPS;
                assertThat(summary.status()).as(id).isEqualTo(completes ? SagaStatus.COMPLETED : SagaStatus.COMPENSATED);
                int done = completes ? CrashSaga.STEPS : failing;
                for (int step = 0; step < CrashSaga.STEPS; step++) {
                    String key = CrashSaga.TYPE + ":" + id + ":step" + step;
                    assertThat(applied.containsKey(key)).as("%s applied", key).isEqualTo(step < done);
                    assertThat(compensated.contains(key + ":compensation")).as("%s compensated", key).isEqualTo(!completes && step < done);
                }
                List<SagaEvent> log = SagaLog.read(store, CrashSaga.TYPE, id).stream().map(SagaLog::decode).toList();
                Map<String, Long> successes = log.stream().filter(SagaEvent.StepSucceeded.class::isInstance)
                        .collect(Collectors.groupingBy(e -> ((SagaEvent.StepSucceeded) e).step(), Collectors.counting()));
                assertThat(successes.values()).as("%s: one success per step in its log", id).allMatch(count -> count == 1);
                assertThat(log.get(0)).isInstanceOf(SagaEvent.SagaStarted.class);
            }
            for (String key : compensated) {
                assertThat(applied).as("no compensation for a step that never ran: %s", key)
                        .containsKey(key.substring(0, key.length() - ":compensation".length()));
            }
            List<String> all = new ArrayList<>(applied.keySet());
            assertThat(all).allMatch(key -> key.matches("crash:s\\d+:step\\d"));
        }
    }
}
