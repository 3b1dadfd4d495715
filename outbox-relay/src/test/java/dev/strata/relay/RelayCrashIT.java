package dev.strata.relay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.eventstore.testkit.ChildJvm;
import dev.strata.relay.testkit.EmbeddedKafka;
import dev.strata.relay.testkit.KafkaRecords;
import dev.strata.relay.testkit.PerKeyOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 of the relay's JVM in the middle of its batches, three times, then a restart that drains: every event whose
 * append was acknowledged is in Kafka, and per stream the first deliveries come in version order with no gap
 * (re-deliveries of what the checkpoint had not passed yet are allowed: at-least-once).
 */
class RelayCrashIT {

    static final int STREAMS = 6;
    static final int CYCLES = 3;

    @TempDir
    Path tmp;

    @Test
    void killingTheRelayMidBatchLosesAndReordersNothing() throws Exception {
        Path store = tmp.resolve("store");
        Random random = new Random(7);
        Map<String, Long> acknowledged = new HashMap<>();
        try (EmbeddedKafka kafka = EmbeddedKafka.start(tmp.resolve("kafka"))) {
            kafka.createTopic("crash.order", 3);
            for (int cycle = 0; cycle < CYCLES; cycle++) {
                try (ChildJvm child = ChildJvm.start(RelayChild.class, tmp.resolve("child-" + cycle + ".err"),
                        store.toString(), kafka.bootstrapServers(), "append", Integer.toString(STREAMS), Integer.toString(cycle))) {
                    String ready = child.nextLine(Duration.ofSeconds(60));
                    assertThat(ready).as("child %d started (stderr in child-%d.err)", cycle, cycle).startsWith("READY");
                    System.out.println("cycle " + cycle + ": " + ready);
                    int acks = 0;
                    int batches = 0;
                    while (acks < 300 || batches < 10) { // under way: appending, and the relay past its first batches
                        String line = child.nextLine(Duration.ofSeconds(30));
                        assertThat(line).as("child %d appends and publishes", cycle).isNotNull();
                        acks += record(line, acknowledged);
                        batches += line.startsWith("PUBLISH ") ? 1 : 0;
                    }
                    Thread.sleep(random.nextInt(600));
                    String last;
                    do { // kill right after a batch went out: it is in flight, or acknowledged and not yet checkpointed
                        last = child.nextLine(Duration.ofSeconds(30));
                        assertThat(last).as("child %d publishes", cycle).isNotNull();
                        record(last, acknowledged);
                    } while (!last.startsWith("PUBLISH "));
                    child.kill();
                    for (String line : child.drainedLines()) {
                        record(line, acknowledged);
                    }
                }
            }
            try (ChildJvm child = ChildJvm.start(RelayChild.class, tmp.resolve("child-drain.err"),
                    store.toString(), kafka.bootstrapServers(), "drain", Integer.toString(STREAMS), "-1")) {
                String ready = child.nextLine(Duration.ofSeconds(60));
                assertThat(ready).startsWith("READY");
                System.out.println("drain: " + ready);
                String last;
                do {
                    last = child.nextLine(Duration.ofSeconds(150));
                    assertThat(last).as("the restarted relay drains the log").isNotNull().doesNotStartWith("TIMEOUT");
                } while (!last.startsWith("DONE"));
                assertThat(child.waitFor(Duration.ofSeconds(30))).isZero();
            }

            long total = acknowledged.values().stream().mapToLong(v -> v + 1).sum();
            List<ConsumerRecord<String, byte[]>> records = KafkaRecords.readAll(kafka.bootstrapServers(), Set.of("crash.order"),
                    (int) total, Duration.ofSeconds(60));
            PerKeyOrder order = new PerKeyOrder();
            for (ConsumerRecord<String, byte[]> record : records) {
                order.accept(record.key(), Long.parseLong(new String(record.headers().lastHeader("ce_streamversion").value(), StandardCharsets.UTF_8)));
            }
            System.out.println("relay crash: " + total + " acknowledged appends; Kafka: " + order);
            assertThat(order.violations()).isEmpty();
            // killed between Kafka's acknowledgement and the next checkpoint write (every 200 ms): published again
            assertThat(order.redeliveries()).isPositive();
            for (Map.Entry<String, Long> entry : acknowledged.entrySet()) {
                assertThat(order.highest().get(entry.getKey())).as("stream %s fully published", entry.getKey())
                        .isGreaterThanOrEqualTo(entry.getValue());
            }
        }
    }

    private static int record(String line, Map<String, Long> acknowledged) {
        if (!line.startsWith("ACK ")) {
            return 0;
        }
        String[] parts = line.split(" ");
        acknowledged.merge(parts[1], Long.parseLong(parts[2]), Math::max);
        return 1;
    }
}
