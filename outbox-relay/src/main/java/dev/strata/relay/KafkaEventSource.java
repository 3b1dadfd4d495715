package dev.strata.relay;

import dev.strata.eventstore.ValidationException;
import dev.strata.relay.internal.Backoff;
import dev.strata.relay.internal.CheckpointFile;
import dev.strata.relay.internal.CloudEventReader;
import dev.strata.relay.internal.Sleeper;
import io.cloudevents.CloudEvent;
import io.cloudevents.kafka.KafkaMessageFactory;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A read side on another machine: consumes the topics a relay publishes and hands the events, rebuilt as the store's
 * {@link dev.strata.eventstore.RecordedEvent}s (positions and versions from the CloudEvent extensions), to a
 * {@link ReceivedEventHandler}. Both content modes are read, record by record.
 *
 * <h2>Checkpoints per partition</h2>
 * Global positions are not ordered across partitions, so there is no single checkpoint: each partition of each topic
 * has its own, the last offset the handler returned from, in its own {@code <name>-<topic>-<partition>.checkpoint}
 * file in the checkpoint directory (the relay's durable format). The source assigns itself every partition of its
 * topics (a full copy of the read model per consumer machine; no consumer group, no offsets kept in Kafka) and starts
 * each from its checkpoint, or from the beginning.
 *
 * <p>At least once into the handler: a checkpoint moves after the handler returns. A handler that throws gets the same
 * events again after a backoff. A record that is not a Strata CloudEvent (no subject, no {@code streamversion}, ...) is
 * logged, counted ({@code strata.source.unreadable}) and passed over, so that one foreign record cannot stop a read side.
 */
public final class KafkaEventSource implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaEventSource.class);

    private final String name;
    private final Set<String> topics;
    private final ReceivedEventHandler handler;
    private final Path checkpointDirectory;
    private final Map<String, Object> consumerConfig;
    private final Backoff backoff = new Backoff(RetryPolicy.defaults(), () -> ThreadLocalRandom.current().nextDouble());
    private final Sleeper sleeper = Sleeper.system();
    private final Map<TopicPartition, CheckpointFile> checkpoints = new HashMap<>();
    private final LongAdder received = new LongAdder();
    private final LongAdder unreadable = new LongAdder();
    private final List<Meter> meters = new ArrayList<>();
    private final MeterRegistry registry;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile Throwable failure;
    private KafkaConsumer<String, byte[]> consumer;

    private KafkaEventSource(Builder b) {
        this.name = b.name;
        this.topics = Set.copyOf(b.topics);
        this.handler = b.handler;
        this.checkpointDirectory = b.checkpointDirectory;
        this.registry = b.meterRegistry;
        meters.add(FunctionCounter.builder("strata.source.received", received, LongAdder::doubleValue).tag("source", name)
                .description("Events handed to the read side").register(registry));
        meters.add(FunctionCounter.builder("strata.source.unreadable", unreadable, LongAdder::doubleValue).tag("source", name)
                .description("Records passed over because they are not Strata CloudEvents").register(registry));
        Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, b.bootstrapServers);
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, "strata-source-" + name);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.putAll(b.overrides);
        this.consumerConfig = config;
        this.thread = new Thread(this::run, "strata-source-" + name);
        this.thread.setDaemon(true);
    }

    public static Builder builder(String bootstrapServers) {
        return new Builder(bootstrapServers);
    }

    /** The last offset handled per partition (-1: none yet), as of now. */
    public Map<TopicPartition, Long> checkpoints() {
        synchronized (checkpoints) {
            Map<TopicPartition, Long> view = new LinkedHashMap<>();
            checkpoints.forEach((partition, file) -> view.put(partition, file.position()));
            return view;
        }
    }

    public long received() {
        return received.sum();
    }

    public long unreadable() {
        return unreadable.sum();
    }

    /** Why the source stopped by itself, if it did. */
    public Optional<Throwable> failure() {
        return Optional.ofNullable(failure);
    }

    private KafkaEventSource begin() {
        consumer = new KafkaConsumer<>(consumerConfig, new StringDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> partitions = new ArrayList<>();
        for (String topic : topics) {
            List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(30));
            if (infos == null || infos.isEmpty()) {
                consumer.close();
                throw new ValidationException("topics", topic, "must name an existing topic");
            }
            infos.forEach(info -> partitions.add(new TopicPartition(topic, info.partition())));
        }
        consumer.assign(partitions);
        synchronized (checkpoints) {
            for (TopicPartition partition : partitions) {
                CheckpointFile file = CheckpointFile.open(checkpointDirectory, name + "-" + partition.topic() + "-" + partition.partition());
                checkpoints.put(partition, file);
            }
        }
        seekToCheckpoints();
        LOG.info("source {}: reading {} partitions of {} from their checkpoints", name, partitions.size(), topics);
        thread.start();
        return this;
    }

    private void seekToCheckpoints() {
        for (Map.Entry<TopicPartition, CheckpointFile> entry : checkpoints.entrySet()) {
            long last = entry.getValue().position();
            if (last < 0) {
                consumer.seekToBeginning(List.of(entry.getKey()));
            } else {
                consumer.seek(entry.getKey(), last + 1);
            }
        }
    }

    private void run() {
        int failures = 0;
        try {
            while (running) {
                ConsumerRecords<String, byte[]> records = consumer.poll(Duration.ofMillis(200));
                if (records.isEmpty()) {
                    continue;
                }
                List<ReceivedEvent> events = new ArrayList<>(records.count());
                Map<TopicPartition, Long> last = new HashMap<>();
                for (TopicPartition partition : records.partitions()) {
                    for (ConsumerRecord<String, byte[]> record : records.records(partition)) {
                        last.put(partition, record.offset());
                        try {
                            CloudEvent event = KafkaMessageFactory.createReader(record).toEvent();
                            events.add(new ReceivedEvent(CloudEventReader.toRecordedEvent(event), event, record.topic(),
                                    record.partition(), record.offset()));
                        } catch (RuntimeException e) {
                            unreadable.increment();
                            LOG.warn("source {}: record {}-{}@{} is not a Strata CloudEvent, passed over: {}", name,
                                    record.topic(), record.partition(), record.offset(), e.getMessage());
                        }
                    }
                }
                try {
                    if (!events.isEmpty()) {
                        handler.handle(events);
                        received.add(events.size());
                    }
                    failures = 0;
                } catch (RuntimeException e) {
                    failures++;
                    Duration delay = backoff.delay(failures, Optional.empty());
                    LOG.warn("source {}: the handler failed (attempt {}), the same events come again in {} ms: {}", name,
                            failures, delay.toMillis(), e.toString());
                    sleeper.sleep(delay);
                    seekToCheckpoints();
                    continue;
                }
                synchronized (checkpoints) {
                    last.forEach((partition, offset) -> checkpoints.get(partition).write(offset));
                }
            }
        } catch (RuntimeException e) {
            if (running) {
                failure = e;
                LOG.error("source {}: stopped: {}", name, e.toString(), e);
            }
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    @Override
    public void close() {
        running = false;
        sleeper.wakeUp();
        if (consumer != null) {
            consumer.wakeup();
        }
        try {
            thread.join(TimeUnit.SECONDS.toMillis(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (checkpoints) {
            checkpoints.values().forEach(CheckpointFile::close);
        }
        meters.forEach(registry::remove);
        LOG.info("source {}: stopped after {} events", name, received());
    }

    /** Settings; {@link #start()} validates them, opens the checkpoints and starts reading. */
    public static final class Builder {
        private final String bootstrapServers;
        private String name;
        private Set<String> topics = Set.of();
        private ReceivedEventHandler handler;
        private Path checkpointDirectory;
        private MeterRegistry meterRegistry = Metrics.globalRegistry;
        private final Map<String, Object> overrides = new HashMap<>();

        private Builder(String bootstrapServers) {
            this.bootstrapServers = bootstrapServers;
        }

        /** Names the checkpoint files and the metrics. Required. */
        public Builder name(String name) {
            this.name = name;
            return this;
        }

        /** The topics to read (each must exist). Required. */
        public Builder topics(String... topics) {
            this.topics = Set.of(topics);
            return this;
        }

        public Builder handler(ReceivedEventHandler handler) {
            this.handler = handler;
            return this;
        }

        /** Where the per-partition checkpoints are kept, beside the read model. Required. */
        public Builder checkpointDirectory(Path directory) {
            this.checkpointDirectory = directory;
            return this;
        }

        public Builder meterRegistry(MeterRegistry registry) {
            this.meterRegistry = registry;
            return this;
        }

        /** Any consumer setting (Kafka's names), e.g. {@code max.poll.records} or security settings. */
        public Builder consumerProperty(String key, Object value) {
            overrides.put(key, value);
            return this;
        }

        public KafkaEventSource start() {
            if (bootstrapServers == null || bootstrapServers.isBlank()) {
                throw new ValidationException("bootstrapServers", bootstrapServers, "must be host:port[,host:port...]");
            }
            if (name == null || !OutboxRelay.NAME.matcher(name).matches()) {
                throw new ValidationException("name", name, "must match " + OutboxRelay.NAME.pattern());
            }
            if (topics.isEmpty()) {
                throw new ValidationException("topics", "[]", "must name at least one topic");
            }
            if (handler == null) {
                throw new ValidationException("handler", null, "must be set");
            }
            if (checkpointDirectory == null) {
                throw new ValidationException("checkpointDirectory", null, "must be set");
            }
            if (meterRegistry == null) {
                throw new ValidationException("meterRegistry", null, "must not be null");
            }
            return new KafkaEventSource(this).begin();
        }
    }
}
