package dev.strata.relay;

import dev.strata.eventstore.Metadata;
import dev.strata.eventstore.ValidationException;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.format.EventFormat;
import io.cloudevents.core.provider.EventFormatProvider;
import io.cloudevents.jackson.JsonFormat;
import io.cloudevents.kafka.KafkaMessageFactory;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Utils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes to Kafka with the CloudEvents Kafka protocol binding: binary content mode by default ({@code ce_*} headers,
 * the data as the record value), structured by option ({@code application/cloudevents+json} values). The record key
 * is the stream name, so a stream's events share a partition and keep their order; the topic comes from the
 * {@link TopicMapping} (one per category by default). The W3C {@code traceparent} (and {@code tracestate}) of an event
 * also travels as a plain header of that name, which OpenTelemetry's Kafka instrumentation reads.
 *
 * <h2>Producer</h2>
 * Idempotent, {@code acks=all}, lz4 compression, 5 ms linger, 256 KiB batches (any other producer setting can be
 * changed; these two cannot). {@link #publish} sends the batch, flushes, and checks every record's acknowledgement.
 *
 * <h2>Failures and order</h2>
 * A producer's first record to each partition (and the first after ten quiet minutes there) is sent alone and
 * acknowledged before the next one to that partition goes. A broker that holds no state for a producer accepts a
 * batch with any sequence number: if the first batch were refused (a leader still settling on a brand-new topic, a
 * slow broker) while a second one was in flight, the second would be written first and the retried first one refused
 * as out of order, breaking the stream's order. Once the broker knows the producer, its sequence checks keep each
 * partition in send order. So the sink picks the partition itself, as Kafka's default partitioner does (murmur2 of
 * the key), and {@code partitioner.class} cannot be changed.
 * <p>
 * At the first failed record the producer is closed at once, from the callback: nothing sent after the failure can be
 * written by this producer, so a later event of a stream never lands before an earlier one that failed (an idempotent
 * producer that carried on would bump its epoch and write the later records). The batch then fails as retryable and
 * the next attempt starts a fresh producer. A record Kafka refuses for good ({@link RecordTooLargeException}) is an
 * {@link EventRejectedException}: the relay dead-letters it and publishes again from the event after it.
 */
public final class KafkaSink implements EventSink {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaSink.class);
    /** The plain W3C trace context headers, beside the CloudEvents ones. */
    public static final String TRACEPARENT_HEADER = "traceparent";
    public static final String TRACESTATE_HEADER = "tracestate";

    /**
     * A broker forgets an idle producer after {@code producer.id.expiration.ms} (a day by default, less on some
     * clusters): after this long without a record to a partition, the next one goes alone again. One round trip.
     */
    private static final long PRODUCER_STATE_TRUSTED_NANOS = Duration.ofMinutes(10).toNanos();

    private final Map<String, Object> producerConfig;
    private final TopicMapping topics;
    private final ContentMode mode;
    private final EventFormat format;
    private final int createPartitions;
    private final short createReplication;
    private final Duration adminTimeout;
    private final Set<String> knownTopics = new HashSet<>();
    /** When the current producer last had records acknowledged, per partition: later records there need not wait. */
    private final Map<TopicPartition, Long> acknowledgedAt = new HashMap<>();
    private final String description;
    private KafkaProducer<String, byte[]> producer;
    private Admin admin;

    private KafkaSink(Builder b) {
        this.producerConfig = b.producerConfig();
        this.topics = b.topics;
        this.mode = b.mode;
        this.format = mode == ContentMode.STRUCTURED ? EventFormatProvider.getInstance().resolveFormat(JsonFormat.CONTENT_TYPE) : null;
        this.createPartitions = b.createPartitions;
        this.createReplication = b.createReplication;
        this.adminTimeout = b.adminTimeout;
        this.description = "kafka " + b.bootstrapServers + " (" + mode.name().toLowerCase() + ", " + topics + ")";
    }

    public static Builder builder(String bootstrapServers) {
        return new Builder(bootstrapServers);
    }

    @Override
    public String describe() {
        return description;
    }

    /** The Kafka record the relay sends for {@code event} (exposed for the bench and the AsyncAPI check). */
    public ProducerRecord<String, byte[]> toRecord(CloudEvent event) {
        String key = event.getSubject();
        String topic = topics.topicFor(key);
        ProducerRecord<String, byte[]> record = mode == ContentMode.BINARY
                ? KafkaMessageFactory.createWriter(topic, key).writeBinary(event)
                : KafkaMessageFactory.createWriter(topic, key).writeStructured(event, format);
        Object traceparent = event.getExtension(Metadata.TRACEPARENT);
        if (traceparent != null) {
            record.headers().add(TRACEPARENT_HEADER, traceparent.toString().getBytes(StandardCharsets.UTF_8));
            Object tracestate = event.getExtension(Metadata.TRACESTATE);
            if (tracestate != null) {
                record.headers().add(TRACESTATE_HEADER, tracestate.toString().getBytes(StandardCharsets.UTF_8));
            }
        }
        return record;
    }

    @Override
    public void publish(List<CloudEvent> events) {
        List<ProducerRecord<String, byte[]>> records = new ArrayList<>(events.size());
        for (CloudEvent event : events) {
            records.add(toRecord(event));
        }
        if (createPartitions > 0) {
            createMissingTopics(records);
        }
        KafkaProducer<String, byte[]> current = producer();
        Map<String, Integer> partitionCounts = new HashMap<>();
        Set<TopicPartition> partitions = new HashSet<>();
        List<Future<RecordMetadata>> acks = new ArrayList<>(records.size());
        RuntimeException sendFailure = null;
        for (ProducerRecord<String, byte[]> record : records) {
            try {
                ProducerRecord<String, byte[]> routed = routed(current, record, partitionCounts);
                Future<RecordMetadata> ack = current.send(routed, (metadata, error) -> {
                    if (error != null && !(error instanceof RecordTooLargeException)) {
                        // Stop this producer before it can write anything sent after the failed record. A record too
                        // large is refused before it gets a sequence number: the records after it are unaffected, and
                        // aborting them would fail the records before it again on every attempt.
                        current.close(Duration.ZERO);
                    }
                });
                acks.add(ack);
                TopicPartition partition = new TopicPartition(routed.topic(), routed.partition());
                Long acknowledged = acknowledgedAt.get(partition);
                if (acknowledged == null || System.nanoTime() - acknowledged > PRODUCER_STATE_TRUSTED_NANOS) {
                    current.flush(); // the producer's first record to this partition goes alone (see the class comment)
                    if (outcome(ack) != null) {
                        break; // reported below, in order
                    }
                    acknowledgedAt.put(partition, System.nanoTime());
                }
                partitions.add(partition);
            } catch (RuntimeException e) {
                sendFailure = e; // the producer was closed by a failure callback, or cannot send at all
                break;
            }
        }
        try {
            current.flush();
        } catch (RuntimeException e) {
            if (sendFailure == null) {
                sendFailure = e;
            }
        }
        for (int i = 0; i < acks.size(); i++) {
            Throwable error = outcome(acks.get(i));
            if (error == null) {
                continue;
            }
            discardProducer();
            if (error instanceof RecordTooLargeException) {
                throw new EventRejectedException(i, "Kafka refused the record: " + error.getMessage(), error);
            }
            throw new SinkException("Kafka did not acknowledge record " + i + " of " + records.size() + " ("
                    + records.get(i).topic() + "): " + error, true, null, i, error);
        }
        if (sendFailure != null || acks.size() < records.size()) {
            discardProducer();
            throw new SinkException("Kafka producer failed after " + acks.size() + " of " + records.size()
                    + " records: " + sendFailure, true, null, acks.size(), sendFailure);
        }
        long now = System.nanoTime();
        for (TopicPartition partition : partitions) {
            acknowledgedAt.put(partition, now);
        }
    }

    private static Throwable outcome(Future<RecordMetadata> ack) {
        try {
            ack.get();
            return null;
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return e;
        }
    }

    /** {@code record} with its partition set: the one Kafka's default partitioner picks for its key. */
    private static ProducerRecord<String, byte[]> routed(KafkaProducer<String, byte[]> producer, ProducerRecord<String, byte[]> record,
                                                         Map<String, Integer> partitionCounts) {
        int partitions = partitionCounts.computeIfAbsent(record.topic(), topic -> producer.partitionsFor(topic).size());
        int partition = Utils.toPositive(Utils.murmur2(record.key().getBytes(StandardCharsets.UTF_8))) % partitions;
        return new ProducerRecord<>(record.topic(), partition, record.key(), record.value(), record.headers());
    }

    private KafkaProducer<String, byte[]> producer() {
        if (producer == null) {
            producer = new KafkaProducer<>(producerConfig, new StringSerializer(), new ByteArraySerializer());
        }
        return producer;
    }

    private void discardProducer() {
        if (producer != null) {
            producer.close(Duration.ZERO);
            producer = null;
            acknowledgedAt.clear();
        }
    }

    private void createMissingTopics(List<ProducerRecord<String, byte[]>> records) {
        List<NewTopic> missing = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (ProducerRecord<String, byte[]> record : records) {
            if (!knownTopics.contains(record.topic()) && names.add(record.topic())) {
                missing.add(new NewTopic(record.topic(), createPartitions, createReplication));
            }
        }
        if (missing.isEmpty()) {
            return;
        }
        if (admin == null) {
            Map<String, Object> adminConfig = new HashMap<>();
            adminConfig.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, producerConfig.get(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG));
            adminConfig.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) adminTimeout.toMillis());
            adminConfig.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) Math.min(adminTimeout.toMillis(), 10_000));
            admin = Admin.create(adminConfig);
        }
        var result = admin.createTopics(missing);
        for (NewTopic topic : missing) {
            try {
                result.values().get(topic.name()).get(adminTimeout.toMillis(), TimeUnit.MILLISECONDS);
                LOG.info("created Kafka topic {} ({} partitions)", topic.name(), createPartitions);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw SinkException.retryable("cannot create Kafka topic " + topic.name() + ": " + e.getCause(), e.getCause());
                }
            } catch (java.util.concurrent.TimeoutException e) {
                throw SinkException.retryable("creating Kafka topic " + topic.name() + " timed out", e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw SinkException.retryable("interrupted while creating Kafka topic " + topic.name(), e);
            }
            knownTopics.add(topic.name());
        }
    }

    @Override
    public void close() {
        if (producer != null) {
            producer.close(Duration.ofSeconds(10));
            producer = null;
            acknowledgedAt.clear();
        }
        if (admin != null) {
            admin.close(Duration.ofSeconds(5));
            admin = null;
        }
    }

    /** Settings of a Kafka sink; {@link #build()} validates them. */
    public static final class Builder {
        private final String bootstrapServers;
        private ContentMode mode = ContentMode.BINARY;
        private TopicMapping topics = TopicMapping.perCategory();
        private final Map<String, Object> overrides = new HashMap<>();
        private int createPartitions;
        private short createReplication = 1;
        private Duration adminTimeout = Duration.ofSeconds(15);

        private Builder(String bootstrapServers) {
            this.bootstrapServers = bootstrapServers;
        }

        /** {@link ContentMode#BINARY} by default. */
        public Builder contentMode(ContentMode mode) {
            this.mode = mode;
            return this;
        }

        /** One topic per category by default. */
        public Builder topics(TopicMapping topics) {
            this.topics = topics;
            return this;
        }

        /**
         * Creates topics that do not exist yet, with this many partitions and this replication factor, before the first
         * record goes to them. Off by default: in production topics are usually made by whoever runs Kafka.
         */
        public Builder createTopics(int partitions, short replicationFactor) {
            this.createPartitions = partitions;
            this.createReplication = replicationFactor;
            return this;
        }

        /**
         * Any producer setting (Kafka's names), e.g. {@code delivery.timeout.ms}, {@code compression.type},
         * {@code linger.ms}, security settings. {@code acks} and {@code enable.idempotence} stay as they are.
         */
        public Builder producerProperty(String key, Object value) {
            overrides.put(key, value);
            return this;
        }

        public KafkaSink build() {
            if (bootstrapServers == null || bootstrapServers.isBlank()) {
                throw new ValidationException("bootstrapServers", bootstrapServers, "must be host:port[,host:port...]");
            }
            if (mode == null) {
                throw new ValidationException("contentMode", null, "must be BINARY or STRUCTURED");
            }
            if (topics == null) {
                throw new ValidationException("topics", null, "must not be null (TopicMapping.perCategory() is the default)");
            }
            if (createPartitions < 0 || createReplication < 1) {
                throw new ValidationException("createTopics", createPartitions + " partitions, replication " + createReplication,
                        "must have partitions >= 1 and replication >= 1");
            }
            Object acks = overrides.get(ProducerConfig.ACKS_CONFIG);
            if (acks != null && !acks.toString().equals("all") && !acks.toString().equals("-1")) {
                throw new ValidationException(ProducerConfig.ACKS_CONFIG, acks, "must stay 'all': an event is acknowledged only once every in-sync replica has it");
            }
            if (overrides.containsKey(ProducerConfig.PARTITIONER_CLASS_CONFIG)) {
                throw new ValidationException(ProducerConfig.PARTITIONER_CLASS_CONFIG, overrides.get(ProducerConfig.PARTITIONER_CLASS_CONFIG),
                        "cannot be changed: the sink routes each stream to the partition of Kafka's default partitioner (murmur2 of the key)");
            }
            Object idempotence = overrides.get(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG);
            if (idempotence != null && !Boolean.parseBoolean(idempotence.toString())) {
                throw new ValidationException(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, idempotence, "must stay true: retries must not duplicate or reorder records");
            }
            return new KafkaSink(this);
        }

        Map<String, Object> producerConfig() {
            Map<String, Object> config = new HashMap<>();
            config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
            config.put(ProducerConfig.CLIENT_ID_CONFIG, "strata-relay");
            config.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
            config.put(ProducerConfig.LINGER_MS_CONFIG, 5);
            config.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
            config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000);
            config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
            config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
            config.putAll(overrides);
            config.put(ProducerConfig.ACKS_CONFIG, "all");
            config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
            config.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, Math.min(5,
                    Integer.parseInt(config.getOrDefault(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5).toString())));
            return config;
        }
    }
}
