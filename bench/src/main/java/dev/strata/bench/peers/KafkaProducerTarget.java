package dev.strata.bench.peers;

import dev.strata.bench.load.AppendTarget;
import dev.strata.bench.load.Payload;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Kafka as an event log: one idempotent producer ({@code acks=all}, {@code enable.idempotence=true}) shared by all
 * appender threads, as an application would share it, sending to a real broker in this process. An append of
 * {@code n} events sends {@code n} records keyed by the stream name and is acknowledged when the broker has acked
 * all of them. Kafka has no expected-version check: the workload sends it no conflicts.
 *
 * <p>{@code linger.ms=0}: an appender waits for each append's acknowledgement, so lingering would only add latency;
 * records of concurrent appenders are still batched while a request is in flight.
 */
public final class KafkaProducerTarget implements AppendTarget {

    private final String topic;
    private final Payload payload;
    private final KafkaProducer<String, byte[]> producer;

    public KafkaProducerTarget(KafkaBroker broker, String topic, int partitions, Payload payload) {
        broker.createTopic(topic, partitions);
        this.topic = topic;
        this.payload = payload;
        this.producer = new KafkaProducer<>(producerConfig(broker.bootstrapServers(), 0), new StringSerializer(), new ByteArraySerializer());
        try {
            primePartitions(producer, topic, partitions, payload.json());
        } catch (Exception e) {
            producer.close();
            throw new IllegalStateException("topic " + topic + " did not take a first record", e);
        }
    }

    /**
     * Sends one record to each partition and waits for its acknowledgement, before any clock runs: leaders elected,
     * metadata known, and no out-of-order-sequence retries on a brand-new topic (seen in the Kafka probe, and once in
     * the relay bench, where it held a run for the 2-minute delivery timeout).
     */
    public static void primePartitions(Producer<String, byte[]> producer, String topic, int partitions, byte[] value) throws Exception {
        for (int partition = 0; partition < partitions; partition++) {
            producer.send(new ProducerRecord<>(topic, partition, "warm", value)).get(60, TimeUnit.SECONDS);
        }
    }

    /** The producer settings of every Kafka figure: acks=all, idempotent, no compression. */
    public static Properties producerConfig(String bootstrap, int lingerMillis) {
        Properties config = new Properties();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        config.put(ProducerConfig.LINGER_MS_CONFIG, Integer.toString(lingerMillis));
        config.put(ProducerConfig.BATCH_SIZE_CONFIG, Integer.toString(64 * 1024));
        config.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "none");
        // fail a stuck send in 30 s rather than the default 2 minutes, so a broken run ends and says why
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000");
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "30000");
        return config;
    }

    @Override
    public String name() {
        return "kafka-producer";
    }

    @Override
    public String durability() {
        return "broker page cache: acks=all on a one-broker cluster (no replica; Kafka does not fsync each write by default)";
    }

    @Override
    public boolean checksExpectedVersion() {
        return false;
    }

    @Override
    public Session session(int thread) {
        return new Session() {
            @Override
            public void append(String stream, long expectedVersion, int count) {
                appendAsync(stream, expectedVersion, count).join();
            }

            @Override
            public CompletableFuture<Void> appendAsync(String stream, long expectedVersion, int count) {
                CompletableFuture<Void> acked = new CompletableFuture<>();
                AtomicInteger left = new AtomicInteger(count);
                for (int i = 0; i < count; i++) {
                    producer.send(new ProducerRecord<>(topic, stream, payload.json()), (metadata, failure) -> {
                        if (failure != null) {
                            acked.completeExceptionally(failure);
                        } else if (left.decrementAndGet() == 0) {
                            acked.complete(null);
                        }
                    });
                }
                return acked;
            }
        };
    }

    @Override
    public void close() {
        producer.close(java.time.Duration.ofSeconds(30));
    }

    /** Sends as fast as the producer takes records for {@code millis}: the broker's warm-up (STACK.md trap 12). */
    public static void warmUp(KafkaBroker broker, Payload payload, long millis) {
        String topic = "warm-up-" + System.nanoTime();
        broker.createTopic(topic, 1);
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(producerConfig(broker.bootstrapServers(), 5),
                new StringSerializer(), new ByteArraySerializer())) {
            long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
            for (long i = 0; System.nanoTime() < end; i++) {
                producer.send(new ProducerRecord<>(topic, "k" + (i & 1023), payload.json()));
            }
            producer.flush();
        }
    }
}
