package dev.strata.relay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.eventstore.Durability;
import dev.strata.eventstore.EventData;
import dev.strata.eventstore.EventStore;
import dev.strata.eventstore.ExpectedVersion;
import dev.strata.eventstore.Metadata;
import dev.strata.eventstore.RecordedEvent;
import dev.strata.relay.testkit.EmbeddedKafka;
import dev.strata.relay.testkit.KafkaRecords;
import dev.strata.relay.testkit.PerKeyOrder;
import dev.strata.relay.testkit.SendOrderInterceptor;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.cloudevents.kafka.KafkaMessageFactory;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The relay against a real (in-process KRaft) broker: what lands in Kafka, in which topic, with which headers. */
class KafkaRelayIT {

    static final String TRACEPARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

    @TempDir
    static Path shared;
    static EmbeddedKafka kafka;

    @TempDir
    Path tmp;

    @BeforeAll
    static void startBroker() throws Exception {
        kafka = EmbeddedKafka.start(shared.resolve("kafka"));
    }

    @AfterAll
    static void stopBroker() throws Exception {
        if (kafka != null) {
            kafka.close();
        }
    }

    private EventStore store(String name) {
        return EventStore.builder().directory(tmp.resolve(name)).name(name).durability(Durability.OS).open();
    }

    private static KafkaSink.Builder sink(String prefix) {
        return KafkaSink.builder(kafka.bootstrapServers()).topics(TopicMapping.perCategory(prefix)).createTopics(3, (short) 1);
    }

    private static Map<String, String> headers(ConsumerRecord<String, byte[]> record) {
        Map<String, String> headers = new HashMap<>();
        for (Header header : record.headers()) {
            headers.put(header.key(), new String(header.value(), StandardCharsets.UTF_8));
        }
        return headers;
    }

    @Test
    void binaryModePublishesEveryEventKeyedByStreamToTheTopicOfItsCategory() throws Exception {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        double retries;
        try (EventStore store = store("shop")) {
            for (int i = 0; i < 20; i++) {
                String stream = (i % 2 == 0 ? "order-" : "payment-") + (i % 4);
                EventData event = EventData.json("Thing" + (i % 3), "{\"i\":" + i + "}")
                        .withMetadata(Metadata.of(Map.of(Metadata.TRACEPARENT, TRACEPARENT, Metadata.CORRELATION_ID, "c-" + i)));
                store.append(stream, ExpectedVersion.any(), event);
            }
            try (OutboxRelay relay = OutboxRelay.builder().name("bin").store(store).sink(sink("bin.").build())
                    .checkpointDirectory(tmp.resolve("relays")).meterRegistry(meters).start()) {
                assertThat(relay.awaitCheckpoint(19, Duration.ofSeconds(60))).isTrue();
                assertThat(relay.lag()).isZero();
                assertThat(meters.get("strata.relay.published").tag("relay", "bin").functionCounter().count()).isEqualTo(20);
                assertThat(meters.get("strata.relay.lag").tag("relay", "bin").gauge().value()).isZero();
                retries = meters.get("strata.relay.retries").tag("relay", "bin").functionCounter().count();
            }
            List<ConsumerRecord<String, byte[]>> records = KafkaRecords.readAll(kafka.bootstrapServers(),
                    Set.of("bin.order", "bin.payment"), 20, Duration.ofSeconds(30));
            // At least once: a send that timed out (a slow broker on a loaded machine) is sent again by a new producer,
            // which Kafka cannot deduplicate. Without retries, exactly once.
            assertThat(records.stream().map(r -> headers(r).get("ce_id")).distinct()).hasSize(20);
            if (retries == 0) {
                assertThat(records).hasSize(20);
            }
            PerKeyOrder order = new PerKeyOrder();
            for (ConsumerRecord<String, byte[]> record : records) {
                Map<String, String> headers = headers(record);
                String stream = record.key();
                assertThat(record.topic()).isEqualTo("bin." + stream.substring(0, stream.indexOf('-')));
                RecordedEvent stored = store.readStream(stream, Long.parseLong(headers.get("ce_streamversion")),
                        dev.strata.eventstore.Direction.FORWARD, 1).findFirst().orElseThrow();
                assertThat(headers).containsEntry("ce_specversion", "1.0")
                        .containsEntry("ce_id", stored.id().toString())
                        .containsEntry("ce_source", "strata://shop/" + stream)
                        .containsEntry("ce_type", stored.type())
                        .containsEntry("ce_subject", stream)
                        .containsEntry("ce_position", Long.toString(stored.position()))
                        .containsEntry("ce_traceparent", TRACEPARENT)
                        .containsEntry("ce_correlationid", stored.metadata().correlationId().orElseThrow())
                        .containsEntry("traceparent", TRACEPARENT) // the plain W3C header too
                        .containsEntry("content-type", "application/json")
                        .containsKey("ce_time");
                assertThat(new String(record.value(), StandardCharsets.UTF_8)).isEqualTo(stored.dataAsString());
                CloudEvent back = KafkaMessageFactory.createReader(record).toEvent();
                assertThat(back.getId()).isEqualTo(stored.id().toString());
                order.accept(stream, Long.parseLong(headers.get("ce_streamversion")));
            }
            assertThat(order.violations()).isEmpty();
            if (retries == 0) {
                assertThat(order.redeliveries()).isZero();
            }
        }
    }

    @Test
    void aProducersFirstRecordToAPartitionIsAcknowledgedBeforeTheNextOneIsSentAndKeysLandWhereKafkaPutsThem() throws Exception {
        SendOrderInterceptor.EVENTS.clear();
        List<CloudEvent> events = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            events.add(CloudEventBuilder.v1().withId("e" + i).withSource(URI.create("strata://test")).withType("Tick")
                    .withSubject("order-" + (i % 12)).withData("application/json", "{}".getBytes(StandardCharsets.UTF_8)).build());
        }
        try (KafkaSink sink = sink("first.").producerProperty("interceptor.classes", SendOrderInterceptor.class.getName()).build()) {
            sink.publish(events.subList(0, 30));
            sink.publish(events.subList(30, 60));
        }
        List<String> log = List.copyOf(SendOrderInterceptor.EVENTS);
        assertThat(log).hasSize(120);
        Set<String> partitions = log.stream().map(e -> e.substring(e.indexOf(' ') + 1)).collect(Collectors.toSet());
        assertThat(partitions).hasSize(3); // twelve streams spread over the topic's three partitions
        for (String partition : partitions) {
            int firstSend = log.indexOf("send " + partition);
            int secondSend = firstSend + 1 + log.subList(firstSend + 1, log.size()).indexOf("send " + partition);
            assertThat(log.indexOf("ack " + partition)).as("first acknowledgement on %s", partition).isLessThan(secondSend);
        }
        // a stream's partition is the one any other Kafka producer picks for the same key
        List<ConsumerRecord<String, byte[]>> records = KafkaRecords.readAll(kafka.bootstrapServers(), Set.of("first.order"), 60, Duration.ofSeconds(30));
        try (KafkaProducer<String, byte[]> plain = new KafkaProducer<>(Map.of("bootstrap.servers", kafka.bootstrapServers()),
                new StringSerializer(), new ByteArraySerializer())) {
            for (ConsumerRecord<String, byte[]> record : records) {
                int partition = plain.send(new ProducerRecord<>("first.order", record.key(), new byte[0])).get().partition();
                assertThat(record.partition()).as(record.key()).isEqualTo(partition);
            }
        }
    }

    @Test
    void structuredModeSendsOneCloudEventsJsonDocumentPerRecord() throws Exception {
        try (EventStore store = store("shop")) {
            store.append("order-7", ExpectedVersion.any(), EventData.json("OrderPlaced", "{\"total\":42}")
                    .withMetadata(Metadata.of(Map.of(Metadata.TRACEPARENT, TRACEPARENT))));
            try (OutboxRelay relay = OutboxRelay.builder().name("structured").store(store)
                    .sink(sink("st.").contentMode(ContentMode.STRUCTURED).build())
                    .checkpointDirectory(tmp.resolve("relays")).meterRegistry(new SimpleMeterRegistry()).start()) {
                assertThat(relay.awaitCheckpoint(0, Duration.ofSeconds(60))).isTrue();
            }
            List<ConsumerRecord<String, byte[]>> records = KafkaRecords.readAll(kafka.bootstrapServers(), Set.of("st.order"), 1, Duration.ofSeconds(30));
            assertThat(records).hasSize(1);
            ConsumerRecord<String, byte[]> record = records.get(0);
            assertThat(record.key()).isEqualTo("order-7");
            assertThat(headers(record)).containsOnlyKeys("content-type", "traceparent")
                    .containsEntry("content-type", "application/cloudevents+json");
            String json = new String(record.value(), StandardCharsets.UTF_8);
            assertThat(json).contains("\"specversion\":\"1.0\"", "\"subject\":\"order-7\"", "\"streamversion\":\"0\"",
                    "\"position\":\"0\"", "\"data\":{\"total\":42}");
            CloudEvent back = KafkaMessageFactory.createReader(record).toEvent();
            assertThat(back.getType()).isEqualTo("OrderPlaced");
            assertThat(back.getExtension("traceparent")).isEqualTo(TRACEPARENT);
        }
    }

    @Test
    void filterAndTopicOverridesChooseWhatGoesWhereAndTheCheckpointPassesTheRest() throws Exception {
        try (EventStore store = store("shop")) {
            store.append("order-1", ExpectedVersion.any(), EventData.json("OrderPlaced", "{}"), EventData.json("OrderNoted", "{}"));
            store.append("payment-1", ExpectedVersion.any(), EventData.json("PaymentCaptured", "{}"));
            store.append("audit-1", ExpectedVersion.any(), EventData.json("Audited", "{}"));
            store.append("order-2", ExpectedVersion.any(), EventData.json("OrderPlaced", "{}"));
            RelayFilter filter = new RelayFilter(Set.of("order", "payment"), Set.of("OrderPlaced", "PaymentCaptured"));
            try (OutboxRelay relay = OutboxRelay.builder().name("filtered").store(store)
                    .sink(sink("").topics(TopicMapping.perCategory("f.").with("payment", "f.money")).build())
                    .filter(filter).checkpointDirectory(tmp.resolve("relays")).meterRegistry(new SimpleMeterRegistry()).start()) {
                assertThat(relay.awaitCheckpoint(4, Duration.ofSeconds(60))).isTrue();
                assertThat(relay.published()).isEqualTo(3);
            }
            List<ConsumerRecord<String, byte[]>> records = KafkaRecords.readAll(kafka.bootstrapServers(),
                    Set.of("f.order", "f.money"), 3, Duration.ofSeconds(30));
            assertThat(records).extracting(r -> r.topic() + " " + r.key() + " " + headers(r).get("ce_type"))
                    .containsExactlyInAnyOrder("f.order order-1 OrderPlaced", "f.order order-2 OrderPlaced",
                            "f.money payment-1 PaymentCaptured");
        }
    }

    @Test
    void anUnmappableEventGoesToTheDeadLetterStreamAndTheRelayGoesOn() throws Exception {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        try (EventStore store = store("shop")) {
            store.append("order-1", ExpectedVersion.any(), EventData.json("OrderPlaced", "{}"));
            // a source that is not a URI: the event is stored, but cannot become a CloudEvent
            RecordedEvent bad = readBack(store, store.append("order-1", ExpectedVersion.any(), EventData.json("OrderNoted", "{}")
                    .withMetadata(Metadata.of(Map.of(Metadata.SOURCE, "not a uri")))).lastPosition());
            store.append("order-1", ExpectedVersion.any(), EventData.json("OrderShipped", "{}"));
            try (OutboxRelay relay = OutboxRelay.builder().name("dlq").store(store).sink(sink("dlq.").build())
                    .checkpointDirectory(tmp.resolve("relays")).meterRegistry(meters).start()) {
                assertThat(relay.awaitCheckpoint(2, Duration.ofSeconds(60))).isTrue();
                assertThat(relay.deadLetters()).isEqualTo(1);
                assertThat(meters.get("strata.relay.deadletters").tag("relay", "dlq").functionCounter().count()).isEqualTo(1);
                assertThat(relay.deadLetterStream()).isEqualTo("$relay-deadletter-dlq");
                List<RecordedEvent> letters = store.readStream("$relay-deadletter-dlq", 0, dev.strata.eventstore.Direction.FORWARD, 10).toList();
                assertThat(letters).hasSize(1);
                assertThat(letters.get(0).type()).isEqualTo("RelayDeadLetter");
                assertThat(letters.get(0).dataAsString()).contains("\"relay\":\"dlq\"", "\"stream\":\"order-1\"",
                        "\"version\":1", "\"position\":" + bad.position(), "\"eventId\":\"" + bad.id() + "\"", "cannot be mapped");
                assertThat(letters.get(0).metadata().causationId()).contains(bad.id().toString());
                // the dead-letter event is in the log too, but a $ stream: the relay does not publish it
                assertThat(relay.awaitCheckpoint(3, Duration.ofSeconds(30))).isTrue();
            }
            List<ConsumerRecord<String, byte[]>> records = KafkaRecords.readAll(kafka.bootstrapServers(), Set.of("dlq.order"), 2, Duration.ofSeconds(30));
            assertThat(records).extracting(r -> headers(r).get("ce_type")).containsExactly("OrderPlaced", "OrderShipped");
        }
    }

    @Test
    void aRecordKafkaRefusesForGoodIsDeadLetteredAndTheRestIsPublished() throws Exception {
        try (EventStore store = store("shop")) {
            store.append("order-1", ExpectedVersion.any(), EventData.json("Small", "{}"));
            store.append("order-1", ExpectedVersion.any(), EventData.json("Huge", "{\"pad\":\"" + "x".repeat(20_000) + "\"}"));
            store.append("order-1", ExpectedVersion.any(), EventData.json("Small", "{}"));
            try (OutboxRelay relay = OutboxRelay.builder().name("large").store(store)
                    .sink(sink("large.").producerProperty("max.request.size", 8_192).build())
                    .checkpointDirectory(tmp.resolve("relays")).meterRegistry(new SimpleMeterRegistry()).start()) {
                assertThat(relay.awaitCheckpoint(2, Duration.ofSeconds(60))).isTrue();
                assertThat(relay.deadLetters()).isEqualTo(1);
                String letter = store.readStream(relay.deadLetterStream(), 0, dev.strata.eventstore.Direction.FORWARD, 1)
                        .findFirst().orElseThrow().dataAsString();
                assertThat(letter).contains("\"type\":\"Huge\"", "Kafka refused the record");
            }
            List<ConsumerRecord<String, byte[]>> records = KafkaRecords.readAll(kafka.bootstrapServers(), Set.of("large.order"), 2, Duration.ofSeconds(30));
            // the record after the refused one went out in the same attempt and again after the dead letter: at least once
            assertThat(records.stream().map(r -> headers(r).get("ce_streamversion")).distinct()).containsExactly("0", "2");
        }
    }

    @Test
    void aRestartedRelayResumesFromItsCheckpoint() throws Exception {
        Path checkpoints = tmp.resolve("relays");
        try (EventStore store = store("shop")) {
            for (int i = 0; i < 30; i++) {
                store.append("order-" + (i % 3), ExpectedVersion.any(), EventData.json("E", "{\"i\":" + i + "}"));
            }
            try (OutboxRelay relay = OutboxRelay.builder().name("resume").store(store).sink(sink("resume.").build())
                    .checkpointDirectory(checkpoints).batchSize(7).meterRegistry(new SimpleMeterRegistry()).start()) {
                assertThat(relay.awaitCheckpoint(29, Duration.ofSeconds(60))).isTrue();
            }
            for (int i = 30; i < 50; i++) {
                store.append("order-" + (i % 3), ExpectedVersion.any(), EventData.json("E", "{\"i\":" + i + "}"));
            }
            try (OutboxRelay relay = OutboxRelay.builder().name("resume").store(store).sink(sink("resume.").build())
                    .checkpointDirectory(checkpoints).meterRegistry(new SimpleMeterRegistry()).start()) {
                assertThat(relay.checkpoint()).isGreaterThanOrEqualTo(29);
                assertThat(relay.awaitCheckpoint(49, Duration.ofSeconds(60))).isTrue();
                assertThat(relay.published()).isEqualTo(20);
            }
            List<ConsumerRecord<String, byte[]>> records = KafkaRecords.readAll(kafka.bootstrapServers(), Set.of("resume.order"), 50, Duration.ofSeconds(30));
            assertThat(records).hasSize(50); // a clean stop writes the checkpoint: nothing published twice
            Map<String, List<String>> byStream = records.stream().collect(Collectors.groupingBy(ConsumerRecord::key,
                    Collectors.mapping(r -> headers(r).get("ce_streamversion"), Collectors.toList())));
            byStream.values().forEach(versions -> assertThat(versions.stream().map(Long::parseLong).toList()).isSorted());
        }
    }

    private static RecordedEvent readBack(EventStore store, long position) {
        return store.readAll(position, 1).findFirst().orElseThrow();
    }
}
