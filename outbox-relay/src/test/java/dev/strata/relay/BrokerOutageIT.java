package dev.strata.relay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.eventstore.Durability;
import dev.strata.eventstore.EventData;
import dev.strata.eventstore.EventStore;
import dev.strata.eventstore.ExpectedVersion;
import dev.strata.relay.testkit.EmbeddedKafka;
import dev.strata.relay.testkit.KafkaRecords;
import dev.strata.relay.testkit.PerKeyOrder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The broker goes down in the middle of a run and comes back: the relay retries behind its circuit breaker, its
 * checkpoint does not pass what Kafka did not acknowledge, and in the end every event is in Kafka, per stream in order.
 */
class BrokerOutageIT {

    static final int STREAMS = 8;

    @TempDir
    Path tmp;

    @Test
    void stoppingTheBrokerMidRunLosesAndReordersNothing() throws Exception {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        try (EmbeddedKafka kafka = EmbeddedKafka.start(tmp.resolve("kafka"), true);
             EventStore store = EventStore.builder().directory(tmp.resolve("store")).durability(Durability.OS).open()) {
            kafka.createTopic("outage.order", 4);
            KafkaSink sink = KafkaSink.builder(kafka.bootstrapServers())
                    .topics(TopicMapping.perCategory("outage."))
                    // fail fast while the broker is away, so that the relay's own retries and breaker do the work
                    .producerProperty("delivery.timeout.ms", 3_000)
                    .producerProperty("request.timeout.ms", 1_000)
                    .producerProperty("max.block.ms", 1_000)
                    .producerProperty("reconnect.backoff.max.ms", 200)
                    .build();
            RetryPolicy retry = RetryPolicy.defaults().withInitialBackoff(Duration.ofMillis(50)).withMaxBackoff(Duration.ofMillis(500))
                    .withFailuresToOpen(2).withOpenDuration(Duration.ofMillis(700));
            AtomicBoolean appending = new AtomicBoolean(true);
            AtomicLong appended = new AtomicLong();
            Thread writer = new Thread(() -> {
                int i = 0;
                while (appending.get()) {
                    store.append("order-" + (i % STREAMS), ExpectedVersion.any(), EventData.json("Tick", "{\"i\":" + i + "}"));
                    appended.incrementAndGet();
                    i++;
                    if (i % 20 == 0) {
                        sleep(5);
                    }
                }
            }, "appender");
            try (OutboxRelay relay = OutboxRelay.builder().name("outage").store(store).sink(sink).batchSize(100)
                    .retryPolicy(retry).checkpointDirectory(tmp.resolve("relays")).meterRegistry(meters).start()) {
                writer.start();
                assertThat(relay.awaitCheckpoint(500, Duration.ofSeconds(60))).as("relay under way before the outage").isTrue();

                kafka.stopBroker();
                long checkpointWhenDown = relay.checkpoint();
                Thread.sleep(4_000);
                // nothing acknowledged while the broker is down: the checkpoint stays (at most one batch in flight at the stop)
                assertThat(relay.checkpoint()).isLessThanOrEqualTo(checkpointWhenDown + 100);
                assertThat(relay.retries()).isPositive();
                assertThat(relay.circuitOpenings()).isPositive();
                kafka.startBroker();

                Thread.sleep(1_000);
                appending.set(false);
                writer.join();
                long head = store.headPosition();
                assertThat(relay.awaitCheckpoint(head, Duration.ofSeconds(90))).as("relay catches up after the outage").isTrue();
                assertThat(relay.circuitState()).isEqualTo(CircuitState.CLOSED);
                assertThat(meters.get("strata.relay.retries").tag("relay", "outage").functionCounter().count()).isPositive();
            }

            Map<String, Long> lastVersions = new HashMap<>();
            for (int s = 0; s < STREAMS; s++) {
                lastVersions.put("order-" + s, store.streamVersion("order-" + s).orElseThrow());
            }
            List<ConsumerRecord<String, byte[]>> records = KafkaRecords.readAll(kafka.bootstrapServers(), Set.of("outage.order"),
                    (int) appended.get(), Duration.ofSeconds(60));
            PerKeyOrder order = new PerKeyOrder();
            for (ConsumerRecord<String, byte[]> record : records) {
                order.accept(record.key(), Long.parseLong(new String(record.headers().lastHeader("ce_streamversion").value(), StandardCharsets.UTF_8)));
            }
            System.out.println("broker outage: " + appended.get() + " appended; Kafka: " + order);
            assertThat(order.violations()).isEmpty();
            assertThat(order.highest()).isEqualTo(lastVersions); // every event of every stream, no gap
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
