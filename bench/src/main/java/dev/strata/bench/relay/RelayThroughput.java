package dev.strata.bench.relay;

import dev.strata.bench.load.Folders;
import dev.strata.bench.peers.KafkaBroker;
import dev.strata.bench.peers.KafkaProducerTarget;
import dev.strata.bench.projections.BenchStore;
import dev.strata.eventstore.Durability;
import dev.strata.eventstore.EventData;
import dev.strata.eventstore.EventStore;
import dev.strata.eventstore.ExpectedVersion;
import dev.strata.eventstore.Metadata;
import dev.strata.eventstore.RecordedEvent;
import dev.strata.eventstore.cloudevents.CloudEventMapper;
import dev.strata.relay.KafkaSink;
import dev.strata.relay.OutboxRelay;
import dev.strata.relay.TopicMapping;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Relay throughput to an in-process KRaft broker (Kafka's test kit), beside a raw Kafka producer that sends the same
 * bytes (the records the relay makes: same keys, values and CloudEvents headers; same producer settings) to the same
 * broker in the same run. Each side warms up first (Kafka on loopback needs about 10 s to settle, STACK.md trap 12),
 * then is measured: the relay as events its sink acknowledged from the store (read, map, publish, checkpoint), the
 * producer as records acknowledged. The store is filled first with 200-byte JSON events over 1,000 streams; it must
 * hold more events than the relay publishes in warm-up plus measurement (the run says if it ran dry).
 *
 * <pre>java [Chronicle flags] -cp ... dev.strata.bench.relay.RelayThroughput [--events 6000000] [--warmup 10] [--seconds 10]
 *      [--partitions 4] [--batch 2000] [--runs 1] [--dir /tmp/x]</pre>
 */
public final class RelayThroughput {

    private static final int SIZE = 200;
    private static final int STREAMS = 1_000;
    private static final int SAMPLE = 100_000;

    private RelayThroughput() {
    }

    public static void main(String[] args) throws Exception {
        long events = BenchStore.argument(args, "--events", 6_000_000);
        int warmup = (int) BenchStore.argument(args, "--warmup", 10);
        int seconds = (int) BenchStore.argument(args, "--seconds", 10);
        int partitions = (int) BenchStore.argument(args, "--partitions", 4);
        int batch = (int) BenchStore.argument(args, "--batch", 2_000);
        int runs = (int) BenchStore.argument(args, "--runs", 1);
        Path dir = Path.of(BenchStore.argument(args, "--dir", Files.createTempDirectory("strata-bench-relay").toString()));
        System.out.printf(Locale.ROOT, "# RelayThroughput: %,d events of %d bytes over %d streams, %d partitions, relay batch %d, "
                        + "warm-up %d s, measured %d s, %d run(s), JDK %s, %d cores%n", events, SIZE, STREAMS, partitions, batch,
                warmup, seconds, runs, System.getProperty("java.version"), Runtime.getRuntime().availableProcessors());
        KafkaBroker kafka = KafkaBroker.start(dir.resolve("kafka"));
        try (EventStore store = EventStore.builder().directory(dir.resolve("store")).name("bench").durability(Durability.OS).open()) {
            long started = System.nanoTime();
            fill(store, events);
            System.out.printf(Locale.ROOT, "filled the store with %,d events in %.1f s%n", events, (System.nanoTime() - started) / 1e9);
            String bootstrap = kafka.bootstrapServers();
            List<ProducerRecord<String, byte[]>> sample = sample(store, bootstrap);
            List<double[]> results = new ArrayList<>();
            for (int run = 1; run <= runs; run++) {
                String rawTopic = "raw" + run;
                String relayPrefix = "relay" + run + ".";
                createTopics(bootstrap, partitions, rawTopic, relayPrefix + "bench");
                double raw = rawProducer(bootstrap, rawTopic, sample, warmup, seconds);
                double relayed = relay(store, bootstrap, relayPrefix, batch, warmup, seconds, run);
                System.out.printf(Locale.ROOT, "run %d: raw producer %,.0f records/s, relay %,.0f events/s, relay/raw %.2f%n",
                        run, raw, relayed, relayed / raw);
                results.add(new double[] {raw, relayed, relayed / raw});
            }
            results.sort(Comparator.comparingDouble(r -> r[2]));
            double[] median = results.get(results.size() / 2);
            System.out.printf(Locale.ROOT, "median run: raw producer %,.0f records/s, relay %,.0f events/s, relay/raw %.2f%n",
                    median[0], median[1], median[2]);
        } finally {
            kafka.close();
            Folders.delete(dir);
        }
    }

    /** The records the relay would send for the first events of the store: the same bytes for the raw producer. */
    static List<ProducerRecord<String, byte[]>> sample(EventStore store, String bootstrap) {
        CloudEventMapper mapper = new CloudEventMapper(store.name());
        List<ProducerRecord<String, byte[]>> records = new ArrayList<>(SAMPLE);
        try (KafkaSink sink = KafkaSink.builder(bootstrap).topics(TopicMapping.single("unused")).build();
             Stream<RecordedEvent> stored = store.readAll(0, SAMPLE)) {
            stored.forEach(event -> records.add(sink.toRecord(mapper.toCloudEvent(event))));
        }
        return records;
    }

    static double rawProducer(String bootstrap, String topic, List<ProducerRecord<String, byte[]>> sample,
                                      int warmup, int seconds) throws InterruptedException {
        Map<String, Object> config = new java.util.HashMap<>();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        config.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        config.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        AtomicLong acked = new AtomicLong();
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer())) {
            long warmEnd = System.nanoTime() + warmup * 1_000_000_000L;
            long end = warmEnd + seconds * 1_000_000_000L;
            long atStart = -1;
            long startNanos = 0;
            for (int i = 0; ; i++) {
                long now = System.nanoTime();
                if (atStart < 0 && now >= warmEnd) {
                    atStart = acked.get();
                    startNanos = now;
                }
                if (now >= end) {
                    long count = acked.get() - atStart;
                    return count / ((now - startNanos) / 1e9);
                }
                ProducerRecord<String, byte[]> template = sample.get(i % sample.size());
                producer.send(new ProducerRecord<>(topic, null, template.key(), template.value(), template.headers()), (metadata, error) -> {
                    if (error == null) {
                        acked.incrementAndGet();
                    }
                });
            }
        }
    }

    private static double relay(EventStore store, String bootstrap, String prefix, int batch, int warmup, int seconds, int run)
            throws InterruptedException {
        Relayed relayed = relayRun(store, bootstrap, prefix, batch, warmup, seconds, run);
        if (relayed.ranDry()) {
            System.out.printf("run %d: the relay reached the head of the log before the end: give --events more%n", run);
        }
        return relayed.eventsPerSecond();
    }

    /** A relay run: events/s its sink acknowledged, and whether it caught up with the head of the log (too few events). */
    record Relayed(double eventsPerSecond, boolean ranDry) {
    }

    static Relayed relayRun(EventStore store, String bootstrap, String prefix, int batch, int warmup, int seconds, int run)
            throws InterruptedException {
        KafkaSink sink = KafkaSink.builder(bootstrap).topics(TopicMapping.perCategory(prefix)).build();
        Path checkpoints;
        try {
            checkpoints = Files.createTempDirectory("strata-bench-relay-checkpoints");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        try (OutboxRelay relay = OutboxRelay.builder().name("bench" + run).store(store).sink(sink).batchSize(batch)
                .checkpointDirectory(checkpoints).meterRegistry(new SimpleMeterRegistry()).start()) {
            Thread.sleep(warmup * 1000L);
            long atStart = relay.published();
            long startNanos = System.nanoTime();
            Thread.sleep(seconds * 1000L);
            long count = relay.published() - atStart;
            double rate = count / ((System.nanoTime() - startNanos) / 1e9);
            return new Relayed(rate, relay.lag() == 0);
        } finally {
            Folders.delete(checkpoints);
        }
    }

    static void fill(EventStore store, long events) {
        SplittableRandom random = new SplittableRandom(42);
        int perAppend = 100;
        List<CompletableFuture<?>> inFlight = new ArrayList<>();
        for (long n = store.headPosition() + 1; n < events; n += perAppend) {
            List<dev.strata.eventstore.AppendRequest> requests = new ArrayList<>();
            // one append per stream keeps versions exact; 100 events to 100 streams in one atomic append
            for (int i = 0; i < perAppend && n + i < events; i++) {
                String stream = "bench-" + random.nextInt(STREAMS);
                requests.removeIf(r -> r.stream().equals(stream));
                requests.add(dev.strata.eventstore.AppendRequest.of(stream, ExpectedVersion.any(), EventData.json("BenchEvent", payload(random))
                        .withMetadata(Metadata.of(Map.of(Metadata.CORRELATION_ID, "bench")))));
            }
            inFlight.add(store.appendAllAsync(requests)); // pipelined: a synchronous loop waited for each commit
            if (inFlight.size() >= 32) {
                inFlight.forEach(CompletableFuture::join);
                inFlight.clear();
            }
        }
        inFlight.forEach(CompletableFuture::join);
    }

    private static byte[] payload(SplittableRandom random) {
        StringBuilder text = new StringBuilder(SIZE);
        text.append("{\"customer\":\"");
        while (text.length() < SIZE / 2) {
            text.append((char) ('a' + random.nextInt(26)));
        }
        text.append("\",\"note\":\"");
        while (text.length() < SIZE - 2) {
            text.append('x');
        }
        text.append("\"}");
        return text.toString().getBytes(StandardCharsets.UTF_8);
    }

    static void createTopics(String bootstrap, int partitions, String... topics) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            List<NewTopic> newTopics = new ArrayList<>();
            for (String topic : topics) {
                newTopics.add(new NewTopic(topic, partitions, (short) 1));
            }
            admin.createTopics(newTopics).all().get();
        }
        Map<String, Object> config = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer())) {
            for (String topic : topics) {
                KafkaProducerTarget.primePartitions(producer, topic, partitions, new byte[0]);
            }
        }
    }
}
