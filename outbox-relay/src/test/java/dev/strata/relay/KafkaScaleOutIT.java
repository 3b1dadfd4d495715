package dev.strata.relay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.eventstore.Direction;
import dev.strata.eventstore.Durability;
import dev.strata.eventstore.EventData;
import dev.strata.eventstore.EventStore;
import dev.strata.eventstore.ExpectedVersion;
import dev.strata.eventstore.Metadata;
import dev.strata.eventstore.RecordedEvent;
import dev.strata.projections.KeyCodec;
import dev.strata.projections.Projection;
import dev.strata.projections.ProjectionPipeline;
import dev.strata.projections.ReadModel;
import dev.strata.projections.ValueCodec;
import dev.strata.relay.testkit.EmbeddedKafka;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kafka as the scale-out path, end to end: a store with a relay on one side; on the other a read side (its own
 * directories, as on another machine) fed by a {@link KafkaEventSource}, either into a replica store followed by the
 * projection pipeline, or through an {@link Inbox} into a hand-made read model. The consumer is restarted mid-run and
 * one partition's checkpoint is lost, so events come twice; the read models still count each event once, see each
 * stream in version order, and end equal to the store.
 */
class KafkaScaleOutIT {

    static final int STREAMS = 12;

    @TempDir
    Path tmp;

    /** The read model: per stream, the last version applied and how many events; kept in the inbox's own state. */
    static final class OrderCounts implements ReceivedEventHandler {
        final Inbox inbox;
        final List<String> violations;

        OrderCounts(Inbox inbox, List<String> violations) {
            this.inbox = inbox;
            this.violations = violations;
        }

        @Override
        public void handle(List<ReceivedEvent> events) {
            for (ReceivedEvent received : events) {
                inbox.deliver(received.cloudEvent(), (cloudEvent, writes) -> {
                    RecordedEvent event = received.event();
                    long[] state = state(inbox, event.stream());
                    if (event.version() != state[0] + 1) {
                        violations.add(event.stream() + "@" + event.version() + " after " + state[0]);
                    }
                    writes.put(key(event.stream()), ((event.version()) + "," + (state[1] + 1) + "," + event.position()).getBytes(StandardCharsets.UTF_8));
                });
            }
        }

        static byte[] key(String stream) {
            return ("count:" + stream).getBytes(StandardCharsets.UTF_8);
        }

        /** {last version, count, last position}; {-1, 0, -1} for a stream not seen yet. */
        static long[] state(Inbox inbox, String stream) {
            return inbox.state(key(stream)).map(b -> {
                String[] parts = new String(b, StandardCharsets.UTF_8).split(",");
                return new long[] {Long.parseLong(parts[0]), Long.parseLong(parts[1]), Long.parseLong(parts[2])};
            }).orElse(new long[] {-1, 0, -1});
        }
    }

    @Test
    void storeToRelayToKafkaToAReadSideElsewhereCountsEveryEventOnceInOrder() throws Exception {
        List<String> violations = new CopyOnWriteArrayList<>();
        Path readSide = tmp.resolve("other-machine");
        try (EmbeddedKafka kafka = EmbeddedKafka.start(tmp.resolve("kafka"));
             EventStore store = EventStore.builder().directory(tmp.resolve("store")).name("shop").durability(Durability.OS).open()) {
            kafka.createTopic("shop.order", 3);
            kafka.createTopic("shop.payment", 2);
            AtomicBoolean appending = new AtomicBoolean(true);
            Thread writer = new Thread(() -> {
                for (int i = 0; appending.get(); i++) {
                    String stream = (i % 3 == 0 ? "payment-" : "order-") + (i % STREAMS);
                    store.append(stream, ExpectedVersion.any(), EventData.json("Changed", "{\"i\":" + i + "}")
                            .withMetadata(Metadata.of(Map.of(Metadata.CORRELATION_ID, "c" + i))));
                    if (i % 10 == 0) {
                        sleep(2);
                    }
                }
            }, "appender");
            try (OutboxRelay relay = OutboxRelay.builder().name("to-kafka").store(store)
                    .sink(KafkaSink.builder(kafka.bootstrapServers()).topics(TopicMapping.perCategory("shop.")).build())
                    .checkpointDirectory(tmp.resolve("store-relays")).meterRegistry(new SimpleMeterRegistry()).start()) {
                writer.start();

                Inbox inbox = Inbox.open(readSide.resolve("inbox"), Duration.ofDays(7));
                KafkaEventSource source = source(kafka, readSide, new OrderCounts(inbox, violations));
                Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> source.received() >= 300);
                source.close();
                inbox.close();

                // the read side restarts, and one partition's checkpoint is lost: that partition is read again from 0
                Files.delete(readSide.resolve("checkpoints").resolve("orders-view-shop.order-1.checkpoint"));
                inbox = Inbox.open(readSide.resolve("inbox"), Duration.ofDays(7));
                KafkaEventSource again = source(kafka, readSide, new OrderCounts(inbox, violations));
                Thread.sleep(1_000);
                appending.set(false);
                writer.join();
                assertThat(relay.awaitCheckpoint(store.headPosition(), Duration.ofSeconds(60))).isTrue();

                Inbox finalInbox = inbox;
                Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> allCaughtUp(store, finalInbox));
                long redelivered = again.received();
                again.close();
                assertThat(violations).isEmpty();
                for (String category : List.of("order-", "payment-")) {
                    for (int s = 0; s < STREAMS; s++) {
                        String stream = category + s;
                        if (store.streamVersion(stream).isEmpty()) {
                            continue;
                        }
                        long version = store.streamVersion(stream).getAsLong();
                        long[] state = OrderCounts.state(inbox, stream);
                        RecordedEvent last = store.readStream(stream, version, Direction.FORWARD, 1).findFirst().orElseThrow();
                        assertThat(state).as(stream).containsExactly(version, version + 1, last.position());
                    }
                }
                System.out.println("scale-out: head " + store.headPosition() + ", the restarted read side received "
                        + redelivered + " events (re-deliveries included)");
                inbox.close();
            }
        }
    }

    @Test
    void aReplicaStoreOnTheOtherSideFeedsTheProjectionPipeline() throws Exception {
        Path otherMachine = tmp.resolve("other-machine");
        Projection<String, Long> counts = Projection.of("counts", KeyCodec.string(), ValueCodec.int64(),
                (event, model) -> model.put(event.stream(), model.get(event.stream()).orElse(0L) + 1));
        try (EmbeddedKafka kafka = EmbeddedKafka.start(tmp.resolve("kafka"));
             EventStore origin = EventStore.builder().directory(tmp.resolve("origin")).name("shop").durability(Durability.OS).open();
             EventStore replica = EventStore.builder().directory(otherMachine.resolve("replica")).name("replica").durability(Durability.OS).open();
             ProjectionPipeline pipeline = ProjectionPipeline.builder(replica).directory(otherMachine.resolve("projections"))
                     .add(counts).meterRegistry(new SimpleMeterRegistry()).open()) {
            kafka.createTopic("shop.order", 3);
            kafka.createTopic("shop.payment", 2);
            pipeline.start();
            for (int i = 0; i < 600; i++) {
                origin.append((i % 3 == 0 ? "payment-" : "order-") + (i % STREAMS), ExpectedVersion.any(),
                        EventData.json("Changed", "{\"i\":" + i + "}"));
            }
            try (OutboxRelay relay = OutboxRelay.builder().name("to-kafka").store(origin)
                    .sink(KafkaSink.builder(kafka.bootstrapServers()).topics(TopicMapping.perCategory("shop.")).build())
                    .checkpointDirectory(tmp.resolve("origin-relays")).meterRegistry(new SimpleMeterRegistry()).start()) {
                KafkaEventSource source = source(kafka, otherMachine, new StoreReplica(replica));
                Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> source.received() >= 200);
                source.close();
                // restart with a lost checkpoint: partition 0 of shop.order is read again from its first record
                Files.delete(otherMachine.resolve("checkpoints").resolve("orders-view-shop.order-0.checkpoint"));
                for (int i = 600; i < 900; i++) {
                    origin.append((i % 3 == 0 ? "payment-" : "order-") + (i % STREAMS), ExpectedVersion.any(),
                            EventData.json("Changed", "{\"i\":" + i + "}"));
                }
                try (KafkaEventSource again = source(kafka, otherMachine, new StoreReplica(replica))) {
                    assertThat(relay.awaitCheckpoint(origin.headPosition(), Duration.ofSeconds(60))).isTrue();
                    Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> replica.headPosition() >= origin.headPosition());
                    pipeline.awaitPosition("counts", replica.headPosition(), Duration.ofSeconds(60));
                    assertThat(again.received()).isGreaterThan(300); // the lost partition came again
                }
            }
            assertThat(replica.headPosition()).isEqualTo(origin.headPosition()); // every event once, re-deliveries dropped
            ReadModel<String, Long> model = pipeline.readModel(counts);
            for (String category : List.of("order-", "payment-")) {
                for (int s = 0; s < STREAMS; s++) {
                    String stream = category + s;
                    if (origin.streamVersion(stream).isEmpty()) {
                        continue;
                    }
                    long version = origin.streamVersion(stream).getAsLong();
                    assertThat(model.get(stream)).as(stream).contains(version + 1);
                    List<RecordedEvent> there = origin.readStream(stream, 0, Direction.FORWARD, 1_000).toList();
                    List<RecordedEvent> here = replica.readStream(stream, 0, Direction.FORWARD, 1_000).toList();
                    assertThat(here).extracting(RecordedEvent::id).containsExactlyElementsOf(there.stream().map(RecordedEvent::id).toList());
                    assertThat(here.get(0).metadata().get(Metadata.SOURCE)).contains("strata://shop/" + stream);
                }
            }
        }
    }

    private static boolean allCaughtUp(EventStore store, Inbox inbox) {
        for (String category : List.of("order-", "payment-")) {
            for (int s = 0; s < STREAMS; s++) {
                String stream = category + s;
                long version = store.streamVersion(stream).orElse(-1);
                if (OrderCounts.state(inbox, stream)[0] != version) {
                    return false;
                }
            }
        }
        return true;
    }

    private static KafkaEventSource source(EmbeddedKafka kafka, Path readSide, ReceivedEventHandler handler) {
        return KafkaEventSource.builder(kafka.bootstrapServers()).name("orders-view").topics("shop.order", "shop.payment")
                .checkpointDirectory(readSide.resolve("checkpoints")).handler(handler).meterRegistry(new SimpleMeterRegistry()).start();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

}
