package dev.strata.relay;

import dev.strata.eventstore.AppendResult;
import dev.strata.eventstore.Durability;
import dev.strata.eventstore.EventData;
import dev.strata.eventstore.EventStore;
import dev.strata.eventstore.ExpectedVersion;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import io.cloudevents.CloudEvent;
import java.time.Duration;
import java.util.List;

/**
 * The child JVM of {@link RelayCrashIT}: a store with a relay to Kafka, and (mode {@code append}) a thread appending to
 * several streams, printing {@code ACK <stream> <version>} for every acknowledged append and {@code PUBLISH <position>
 * <count>} when a batch goes to Kafka; killed with SIGKILL by the test. Mode {@code drain}: no appends; prints {@code DONE <head>} and exits once the relay has published to the head.
 */
public final class RelayChild {

    public static void main(String[] args) throws Exception {
        Path storeDir = Path.of(args[0]);
        String bootstrap = args[1];
        String mode = args[2];
        int streams = Integer.parseInt(args[3]);
        int cycle = Integer.parseInt(args[4]);
        try (EventStore store = EventStore.builder().directory(storeDir).name("crash").durability(Durability.OS).open()) {
            KafkaSink kafka = KafkaSink.builder(bootstrap).topics(TopicMapping.perCategory("crash.")).build();
            // says when a batch goes out, so that the test can kill this JVM while the batch is in flight
            EventSink sink = new EventSink() {
                @Override
                public void publish(List<CloudEvent> events) {
                    System.out.println("PUBLISH " + events.get(0).getExtension("position") + " " + events.size());
                    kafka.publish(events);
                }

                @Override
                public String describe() {
                    return kafka.describe();
                }

                @Override
                public void close() {
                    kafka.close();
                }
            };
            try (OutboxRelay relay = OutboxRelay.builder().name("crash").store(store).sink(sink).batchSize(50)
                    .checkpointInterval(Duration.ofMillis(200)).checkpointDirectory(storeDir.resolve("relays"))
                    .meterRegistry(new SimpleMeterRegistry()).start()) {
                System.out.println("READY " + relay.checkpoint());
                if (mode.equals("drain")) {
                    long head = store.headPosition();
                    if (!relay.awaitCheckpoint(head, Duration.ofSeconds(120))) {
                        System.out.println("TIMEOUT " + relay.checkpoint() + " " + head);
                        System.exit(3);
                    }
                    System.out.println("DONE " + head);
                    return;
                }
                for (int i = 0; ; i++) {
                    String stream = "order-" + (i % streams);
                    AppendResult result = store.append(stream, ExpectedVersion.any(),
                            EventData.json("Tick", "{\"cycle\":" + cycle + ",\"i\":" + i + "}"));
                    System.out.println("ACK " + stream + " " + result.lastVersion());
                    if (i % 10 == 0) {
                        Thread.sleep(1);
                    }
                }
            }
        }
    }
}
