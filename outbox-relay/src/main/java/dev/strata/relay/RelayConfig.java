package dev.strata.relay;

import dev.strata.eventstore.EventStore;
import dev.strata.eventstore.ValidationException;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.Reader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * A relay described in a properties file, for {@code strata relay run --data DIR --config FILE}. Every key is checked:
 * a misspelt one is an error naming it, not a setting silently ignored.
 *
 * <pre>
 * name = orders-to-kafka                      # required: checkpoint file, dead-letter stream, metric tag
 * sink = kafka                                # required: kafka or http
 * categories = order,payment                  # optional filter (default: every user stream)
 * types = OrderPlaced,OrderShipped            # optional filter (default: every type)
 * batch.size = 1000
 * checkpoint.interval.ms = 100
 * retry.initial.ms = 100                      # backoff: initial, maximum; circuit: failures to open, open time
 * retry.max.ms = 30000
 * retry.failures.to.open = 5
 * retry.open.ms = 10000
 *
 * kafka.bootstrap.servers = localhost:9092    # sink = kafka
 * kafka.content.mode = binary                 # or structured
 * kafka.topic.prefix = strata.                # topic per category: strata.order, strata.payment
 * kafka.topic.single = events                 # or: everything to one topic
 * kafka.topic.category.payment = payments-v2  # a category's own topic
 * kafka.create.topics.partitions = 6          # create missing topics (0: do not)
 * kafka.create.topics.replication = 3
 * kafka.producer.linger.ms = 10               # any producer setting
 *
 * http.url = https://example.com/hooks/orders # sink = http
 * http.content.mode = binary                  # or structured
 * http.batch.size = 1                         # &gt; 1: batched mode
 * http.timeout.ms = 10000
 * http.header.Authorization = Bearer ...      # any header
 * </pre>
 */
public final class RelayConfig {

    private static final Set<String> KEYS = Set.of("name", "sink", "categories", "types", "batch.size",
            "checkpoint.interval.ms", "retry.initial.ms", "retry.max.ms", "retry.failures.to.open", "retry.open.ms",
            "kafka.bootstrap.servers", "kafka.content.mode", "kafka.topic.prefix", "kafka.topic.single",
            "kafka.create.topics.partitions", "kafka.create.topics.replication",
            "http.url", "http.content.mode", "http.batch.size", "http.timeout.ms");
    private static final Set<String> PREFIXES = Set.of("kafka.topic.category.", "kafka.producer.", "http.header.");

    private final Map<String, String> settings;

    private RelayConfig(Map<String, String> settings) {
        this.settings = settings;
    }

    /** Reads and checks a properties file. */
    public static RelayConfig load(Path file) {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(reader);
        } catch (IOException e) {
            throw new ValidationException("config", file, "must be a readable properties file (" + e.getMessage() + ")");
        }
        Map<String, String> settings = new LinkedHashMap<>();
        for (String key : new TreeSet<>(properties.stringPropertyNames())) {
            settings.put(key, properties.getProperty(key).trim());
        }
        return of(settings);
    }

    public static RelayConfig of(Map<String, String> settings) {
        for (String key : settings.keySet()) {
            if (!KEYS.contains(key) && PREFIXES.stream().noneMatch(key::startsWith)) {
                throw new ValidationException("config key", key, "must be one of " + new TreeSet<>(KEYS) + " or start with one of " + PREFIXES);
            }
        }
        RelayConfig config = new RelayConfig(Map.copyOf(settings));
        config.require("name");
        String sink = config.require("sink");
        if (!sink.equals("kafka") && !sink.equals("http")) {
            throw new ValidationException("sink", sink, "must be kafka or http");
        }
        config.sink(); // validates the sink settings now, not at start
        config.filter();
        config.retryPolicy();
        return config;
    }

    public String name() {
        return settings.get("name");
    }

    /** Starts the relay this file describes on {@code store}, with its checkpoint in {@code checkpointDirectory}. */
    public OutboxRelay start(EventStore store, Path checkpointDirectory, MeterRegistry registry) {
        return OutboxRelay.builder().name(name()).store(store).sink(sink()).filter(filter())
                .batchSize(integer("batch.size", 1000))
                .checkpointInterval(Duration.ofMillis(integer("checkpoint.interval.ms", 100)))
                .retryPolicy(retryPolicy()).checkpointDirectory(checkpointDirectory).meterRegistry(registry).start();
    }

    RelayFilter filter() {
        return new RelayFilter(list("categories"), list("types"));
    }

    RetryPolicy retryPolicy() {
        RetryPolicy defaults = RetryPolicy.defaults();
        return new RetryPolicy(Duration.ofMillis(integer("retry.initial.ms", (int) defaults.initialBackoff().toMillis())),
                Duration.ofMillis(integer("retry.max.ms", (int) defaults.maxBackoff().toMillis())), defaults.multiplier(),
                integer("retry.failures.to.open", defaults.failuresToOpen()),
                Duration.ofMillis(integer("retry.open.ms", (int) defaults.openDuration().toMillis())), defaults.maxRetryAfter());
    }

    EventSink sink() {
        if (settings.get("sink").equals("kafka")) {
            KafkaSink.Builder kafka = KafkaSink.builder(require("kafka.bootstrap.servers"))
                    .contentMode(mode("kafka.content.mode"));
            TopicMapping topics = settings.containsKey("kafka.topic.single")
                    ? TopicMapping.single(settings.get("kafka.topic.single"))
                    : TopicMapping.perCategory(settings.getOrDefault("kafka.topic.prefix", ""));
            for (Map.Entry<String, String> entry : withPrefix("kafka.topic.category.").entrySet()) {
                topics = topics.with(entry.getKey(), entry.getValue());
            }
            kafka.topics(topics);
            int partitions = integer("kafka.create.topics.partitions", 0);
            if (partitions > 0) {
                kafka.createTopics(partitions, (short) integer("kafka.create.topics.replication", 1));
            }
            withPrefix("kafka.producer.").forEach(kafka::producerProperty);
            return kafka.build();
        }
        URI url;
        try {
            url = URI.create(require("http.url"));
        } catch (IllegalArgumentException e) {
            throw new ValidationException("http.url", settings.get("http.url"), "must be a URL");
        }
        HttpSink.Builder http = HttpSink.builder(url).contentMode(mode("http.content.mode"))
                .batched(integer("http.batch.size", 1))
                .timeout(Duration.ofMillis(integer("http.timeout.ms", 10_000)));
        withPrefix("http.header.").forEach(http::header);
        return http.build();
    }

    private String require(String key) {
        String value = settings.get(key);
        if (value == null || value.isEmpty()) {
            throw new ValidationException(key, value, "is required");
        }
        return value;
    }

    private int integer(String key, int defaultValue) {
        String value = settings.get(key);
        if (value == null) {
            return defaultValue;
        }
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new ValidationException(key, value, "must be an integer");
        }
    }

    private ContentMode mode(String key) {
        String value = settings.getOrDefault(key, "binary");
        try {
            return ContentMode.valueOf(value.toUpperCase());
        } catch (IllegalArgumentException e) {
            throw new ValidationException(key, value, "must be binary or structured");
        }
    }

    private Set<String> list(String key) {
        String value = settings.get(key);
        if (value == null || value.isBlank()) {
            return Set.of();
        }
        return Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty()).collect(Collectors.toSet());
    }

    private Map<String, String> withPrefix(String prefix) {
        Map<String, String> out = new LinkedHashMap<>();
        settings.forEach((key, value) -> {
            if (key.startsWith(prefix)) {
                out.put(key.substring(prefix.length()), value);
            }
        });
        return out;
    }
}
