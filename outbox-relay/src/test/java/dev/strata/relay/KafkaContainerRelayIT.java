package dev.strata.relay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.eventstore.Durability;
import dev.strata.eventstore.EventData;
import dev.strata.eventstore.EventStore;
import dev.strata.eventstore.ExpectedVersion;
import dev.strata.relay.testkit.KafkaRecords;
import dev.strata.relay.testkit.PerKeyOrder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.kafka.KafkaContainer;

/**
 * The relay against a real Kafka broker in a container, where a Docker engine exists; skipped cleanly elsewhere
 * ({@code mvn verify} relies on the in-process broker of {@link KafkaRelayIT} and the fault tests).
 */
@Testcontainers(disabledWithoutDocker = true)
class KafkaContainerRelayIT {

    @Container
    static final KafkaContainer KAFKA = new KafkaContainer("apache/kafka:4.1.0");

    @TempDir
    Path tmp;

    @Test
    void publishesEveryEventInOrderPerStream() throws Exception {
        try (EventStore store = EventStore.builder().directory(tmp.resolve("store")).durability(Durability.OS).open()) {
            for (int i = 0; i < 500; i++) {
                store.append("order-" + (i % 7), ExpectedVersion.any(), EventData.json("Tick", "{\"i\":" + i + "}"));
            }
            try (OutboxRelay relay = OutboxRelay.builder().name("container").store(store)
                    .sink(KafkaSink.builder(KAFKA.getBootstrapServers()).createTopics(3, (short) 1).build())
                    .checkpointDirectory(tmp.resolve("relays")).meterRegistry(new SimpleMeterRegistry()).start()) {
                assertThat(relay.awaitCheckpoint(499, Duration.ofSeconds(60))).isTrue();
            }
            PerKeyOrder order = new PerKeyOrder();
            for (ConsumerRecord<String, byte[]> record : KafkaRecords.readAll(KAFKA.getBootstrapServers(), Set.of("order"), 500, Duration.ofSeconds(30))) {
                order.accept(record.key(), Long.parseLong(new String(record.headers().lastHeader("ce_streamversion").value(), StandardCharsets.UTF_8)));
            }
            assertThat(order.violations()).isEmpty();
            assertThat(order.deliveries()).isEqualTo(500);
        }
    }
}
