package dev.strata.bench.relay;

import dev.strata.bench.load.Progress;
import dev.strata.bench.peers.SharedServers;
import dev.strata.bench.report.Figure;
import dev.strata.bench.report.Sections;
import dev.strata.bench.workloads.Workload;
import dev.strata.eventstore.Durability;
import dev.strata.eventstore.EventStore;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * {@link RelayThroughput} as a workload of the suite (issue 7's bench): on the suite's shared, warmed-up broker, a
 * raw Kafka producer sending the records the relay makes (same keys, values, CloudEvents headers and producer
 * settings), then the relay publishing the store from its start, each warmed up then measured, in the same run. The
 * store is filled on the first run; every run relays it from position 0 under a new relay name and new topics.
 */
public final class RelayWorkload implements Workload {

    private static final String DURABILITY = "broker page cache: acks=all on a one-broker cluster (idempotent producer)";

    private final Path root;
    private final SharedServers servers;
    private final long events;
    private final int warmup;
    private final int seconds;
    private final int partitions;
    private final int batch;
    private EventStore store;
    private List<ProducerRecord<String, byte[]>> sample;

    public RelayWorkload(Path root, SharedServers servers, long events, int warmup, int seconds, int partitions, int batch) {
        this.root = root;
        this.servers = servers;
        this.events = events;
        this.warmup = warmup;
        this.seconds = seconds;
        this.partitions = partitions;
        this.batch = batch;
    }

    @Override
    public String label() {
        return "relay | " + events + " events";
    }

    @Override
    public double estimatedSeconds() {
        return 2.0 * (warmup + seconds) + 1;
    }

    @Override
    public List<Figure> measure(int run, Progress progress) throws Exception {
        String bootstrap = servers.kafka().bootstrapServers();
        if (store == null) {
            store = EventStore.builder().directory(root.resolve("relay-store")).name("bench").durability(Durability.OS)
                    .meterRegistry(new SimpleMeterRegistry()).open();
            long start = System.nanoTime();
            RelayThroughput.fill(store, events);
            sample = RelayThroughput.sample(store, bootstrap);
            progress.report(String.format(Locale.ROOT, "  [relay] filled %,d events in %.1f s", events, (System.nanoTime() - start) / 1e9));
        }
        String rawTopic = "raw-" + run;
        String prefix = "relay-" + run + ".";
        RelayThroughput.createTopics(bootstrap, partitions, rawTopic, prefix + "bench");
        double raw = RelayThroughput.rawProducer(bootstrap, rawTopic, sample, warmup, seconds);
        RelayThroughput.Relayed relayed = RelayThroughput.relayRun(store, bootstrap, prefix, batch, warmup, seconds, run + 1);
        progress.report(String.format(Locale.ROOT, "  [relay] raw producer %,.0f records/s, relay %,.0f events/s", raw, relayed.eventsPerSecond()));
        String scenario = String.format(Locale.ROOT, "200 B events over 1,000 streams, %d partitions, relay batches of %,d", partitions, batch);
        return List.of(
                new Figure(Sections.RELAY, scenario, "raw-kafka-producer", DURABILITY, raw, "events/s", null, null, null),
                new Figure(Sections.RELAY, scenario, "strata-relay", DURABILITY + "; checkpoint moved after the ack", relayed.eventsPerSecond(),
                        "events/s", "raw-kafka-producer", null,
                        relayed.ranDry() ? "the relay reached the head of the log before the end: the store needs more events" : null));
    }

    @Override
    public void close() {
        if (store != null) {
            store.close();
        }
    }
}
