package dev.strata.eventstore;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.strata.eventstore.testkit.ChildJvm;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 of a writing JVM at random moments, 20 times, reopening in between. After every cycle: every
 * acknowledged append is there with identical content, nothing of an unacknowledged append is half-visible,
 * versions are contiguous, positions dense, a retry returns the original result, and appends continue.
 */
class CrashRecoveryIT {

    private static final int CYCLES = 20;

    @TempDir
    Path directory;

    private final ObjectMapper json = new ObjectMapper();

    record Ack(String stream, long firstVersion, long lastVersion, long firstPosition, long lastPosition, List<UUID> ids) {
        static Ack parse(String line) {
            String[] parts = line.split(" ");
            return new Ack(parts[1], Long.parseLong(parts[2]), Long.parseLong(parts[3]), Long.parseLong(parts[4]),
                    Long.parseLong(parts[5]), Arrays.stream(parts[6].split(",")).map(UUID::fromString).toList());
        }

        AppendResult result() {
            return new AppendResult(stream, firstVersion, lastVersion, firstPosition, lastPosition);
        }
    }

    @Test
    void killingTheWriterAtRandomMomentsLosesNothingAcknowledged() throws Exception {
        Path store = directory.resolve("store");
        Random random = new Random(42);
        List<Ack> acknowledged = new ArrayList<>();
        for (int cycle = 0; cycle < CYCLES; cycle++) {
            Durability durability = cycle % 2 == 0 ? Durability.FSYNC : Durability.OS;
            List<Ack> acks = runAndKill(store, durability, random, cycle);
            assertThat(acks).as("cycle %d acknowledged something before the kill", cycle).isNotEmpty();
            acknowledged.addAll(acks);
            verify(store, acknowledged, random, cycle);
        }
    }

    private List<Ack> runAndKill(Path store, Durability durability, Random random, int cycle) throws Exception {
        try (ChildJvm child = ChildJvm.start(CrashingAppender.class, directory.resolve("child-" + cycle + ".err"),
                store.toString(), "4", durability.name(), Long.toString(cycle))) {
            String ready = child.nextLine(Duration.ofSeconds(60));
            assertThat(ready).as("child %d started (stderr in child-%d.err)", cycle, cycle).startsWith("READY");
            // Wait for the first acknowledgements, then kill at a random moment in the next 0-800 ms.
            String first = child.nextLine(Duration.ofSeconds(30));
            assertThat(first).startsWith("ACK");
            Thread.sleep(random.nextInt(800));
            child.kill();
            List<Ack> acks = new ArrayList<>();
            acks.add(Ack.parse(first));
            for (String line : child.drainedLines()) {
                if (line.startsWith("ACK ")) {
                    acks.add(Ack.parse(line));
                }
            }
            return acks;
        }
    }

    private void verify(Path store, List<Ack> acknowledged, Random random, int cycle) throws Exception {
        try (EventStore reopened = EventStore.builder().directory(store).durability(Durability.FSYNC).open()) {
            long head = reopened.headPosition();
            List<RecordedEvent> log = reopened.readAll(0, Integer.MAX_VALUE).toList();
            assertThat(log).as("cycle %d: positions dense from 0", cycle).hasSize((int) head + 1);
            for (int p = 0; p < log.size(); p++) {
                assertThat(log.get(p).position()).isEqualTo(p);
            }
            Map<String, Long> nextVersion = new HashMap<>();
            Map<UUID, List<RecordedEvent>> appends = new HashMap<>();
            for (RecordedEvent event : log) {
                long expected = nextVersion.getOrDefault(event.stream(), 0L);
                assertThat(event.version()).as("cycle %d: versions of %s contiguous", cycle, event.stream()).isEqualTo(expected);
                nextVersion.put(event.stream(), expected + 1);
                if (event.type().equals("Crashed")) {
                    JsonNode data = json.readTree(event.data());
                    appends.computeIfAbsent(UUID.fromString(data.get("append").asText()), k -> new ArrayList<>()).add(event);
                }
            }
            for (List<RecordedEvent> append : appends.values()) {
                int size = json.readTree(append.get(0).data()).get("n").asInt();
                assertThat(append).as("cycle %d: an append is all there or not there", cycle).hasSize(size);
                for (int i = 0; i < size; i++) {
                    RecordedEvent event = append.get(i);
                    assertThat(json.readTree(event.data()).get("i").asInt()).isEqualTo(i);
                    assertThat(event.position()).isEqualTo(append.get(0).position() + i);
                    assertThat(event.stream()).isEqualTo(append.get(0).stream());
                }
            }
            for (Ack ack : acknowledged) {
                List<EventData> expected = CrashingAppender.events(ack.ids());
                for (int i = 0; i < expected.size(); i++) {
                    RecordedEvent stored = log.get((int) ack.firstPosition() + i);
                    assertThat(stored.toEventData()).as("cycle %d: acknowledged event %s", cycle, ack.ids().get(i)).isEqualTo(expected.get(i));
                    assertThat(stored.stream()).isEqualTo(ack.stream());
                    assertThat(stored.version()).isEqualTo(ack.firstVersion() + i);
                }
            }
            for (int i = 0; i < 5; i++) {
                Ack ack = acknowledged.get(random.nextInt(acknowledged.size()));
                assertThat(reopened.append(ack.stream(), ExpectedVersion.any(), CrashingAppender.events(ack.ids())))
                        .as("cycle %d: a retry returns the original result", cycle).isEqualTo(ack.result());
            }
            AppendResult next = reopened.append("parent-" + cycle, ExpectedVersion.noStream(), EventData.json("Continued", "{}"));
            assertThat(next.lastPosition()).as("cycle %d: appends continue", cycle).isEqualTo(head + 1);
        }
    }
}
