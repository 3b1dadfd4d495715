package dev.strata.relay;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.strata.eventstore.Durability;
import dev.strata.eventstore.EventData;
import dev.strata.eventstore.EventStore;
import dev.strata.eventstore.ExpectedVersion;
import dev.strata.eventstore.Metadata;
import dev.strata.relay.testkit.EmbeddedKafka;
import dev.strata.relay.testkit.KafkaRecords;
import dev.strata.relay.testkit.RecordingWebhook;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * docs/asyncapi.yaml against what the relay actually sends: real Kafka records (both content modes) and real HTTP
 * requests (binary, structured, batched) are checked against the document's channels, messages and schemas.
 */
class AsyncApiIT {

    static final String TRACEPARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path shared;
    static EmbeddedKafka kafka;
    static JsonNode spec;

    @TempDir
    Path tmp;

    @BeforeAll
    static void start() throws Exception {
        kafka = EmbeddedKafka.start(shared.resolve("kafka"));
        Path file = Path.of("..", "docs", "asyncapi.yaml");
        spec = new ObjectMapper(new YAMLFactory()).readTree(Files.readString(file));
    }

    @AfterAll
    static void stop() throws Exception {
        if (kafka != null) {
            kafka.close();
        }
    }

    /** Events that use every attribute the mapping can produce: metadata of every kind, JSON and non-JSON data. */
    private EventStore storeWithEvents() {
        EventStore store = EventStore.builder().directory(tmp.resolve("store")).name("shop").durability(Durability.OS).open();
        store.append("order-1", ExpectedVersion.any(), EventData.json("OrderPlaced", "{\"total\":42}")
                .withMetadata(Metadata.of(Map.of(Metadata.TRACEPARENT, TRACEPARENT, Metadata.TRACESTATE, "vendor=1",
                        Metadata.CORRELATION_ID, "c-1", Metadata.CAUSATION_ID, "k-1", "tenant", "acme",
                        Metadata.DATASCHEMA, "https://schemas.example.com/order-placed/1"))));
        store.append("order-1", ExpectedVersion.any(), new EventData(java.util.UUID.randomUUID(), "OrderNote", "text/plain",
                Metadata.of(Map.of(Metadata.SOURCE, "urn:shop:desk")), "hello".getBytes(StandardCharsets.UTF_8)));
        store.append("payment-7", ExpectedVersion.any(), EventData.json("PaymentCaptured", "{}"));
        return store;
    }

    private OutboxRelay relay(EventStore store, String name, EventSink sink) {
        return OutboxRelay.builder().name(name).store(store).sink(sink).checkpointDirectory(tmp.resolve("relays"))
                .meterRegistry(new SimpleMeterRegistry()).start();
    }

    @Test
    void kafkaRecordsInBothContentModesMatchTheDocument() throws Exception {
        assertThat(spec.path("asyncapi").asText()).isEqualTo("3.0.0");
        JsonNode channel = spec.path("channels").path("categoryTopic");
        assertThat(channel.path("address").asText()).isEqualTo("{prefix}{category}");
        JsonNode binary = resolve(channel.path("messages").path("binaryEvent"));
        JsonNode structured = resolve(channel.path("messages").path("structuredEvent"));
        try (EventStore store = storeWithEvents()) {
            for (ContentMode mode : ContentMode.values()) {
                String prefix = "api-" + mode.name().toLowerCase() + ".";
                try (OutboxRelay relay = relay(store, "api-" + mode.name().toLowerCase(), KafkaSink.builder(kafka.bootstrapServers())
                        .contentMode(mode).topics(TopicMapping.perCategory(prefix)).createTopics(1, (short) 1).build())) {
                    assertThat(relay.awaitCheckpoint(2, Duration.ofSeconds(60))).isTrue();
                }
                List<ConsumerRecord<String, byte[]>> records = KafkaRecords.readAll(kafka.bootstrapServers(),
                        Set.of(prefix + "order", prefix + "payment"), 3, Duration.ofSeconds(30));
                assertThat(records).hasSize(3);
                for (ConsumerRecord<String, byte[]> record : records) {
                    List<String> errors = new ArrayList<>();
                    String category = record.key().substring(0, record.key().indexOf('-'));
                    assertThat(record.topic()).isEqualTo(channel.path("address").asText().replace("{prefix}", prefix).replace("{category}", category));
                    JsonNode message = mode == ContentMode.BINARY ? binary : structured;
                    check(message.path("bindings").path("kafka").path("key"), JSON.getNodeFactory().textNode(record.key()), "key", errors);
                    ObjectNode headers = JSON.createObjectNode();
                    for (Header header : record.headers()) {
                        headers.put(header.key(), new String(header.value(), StandardCharsets.UTF_8));
                    }
                    check(message.path("headers"), headers, "headers", errors);
                    if (mode == ContentMode.STRUCTURED) {
                        assertThat(headers.path("content-type").asText()).isEqualTo(message.path("contentType").asText());
                        check(message.path("payload"), JSON.readTree(record.value()), "payload", errors);
                    } else if (headers.path("content-type").asText().equals("application/json")) {
                        assertThat(message.path("contentType").asText()).isEqualTo("application/json");
                    }
                    assertThat(errors).as("%s record %s", mode, headers).isEmpty();
                }
            }
        }
    }

    @Test
    void webhookRequestsInEveryModeMatchTheDocument() throws Exception {
        JsonNode messages = spec.path("channels").path("webhook").path("messages");
        try (EventStore store = storeWithEvents(); RecordingWebhook webhook = new RecordingWebhook()) {
            try (OutboxRelay relay = relay(store, "hook-binary", HttpSink.builder(webhook.uri()).header("Authorization", "Bearer x").build())) {
                assertThat(relay.awaitCheckpoint(2, Duration.ofSeconds(30))).isTrue();
            }
            try (OutboxRelay relay = relay(store, "hook-structured", HttpSink.builder(webhook.uri()).contentMode(ContentMode.STRUCTURED).build())) {
                assertThat(relay.awaitCheckpoint(2, Duration.ofSeconds(30))).isTrue();
            }
            try (OutboxRelay relay = relay(store, "hook-batch", HttpSink.builder(webhook.uri()).batched(10).build())) {
                assertThat(relay.awaitCheckpoint(2, Duration.ofSeconds(30))).isTrue();
            }
            List<RecordingWebhook.Request> requests = webhook.requests();
            assertThat(requests).hasSizeGreaterThanOrEqualTo(7); // 3 binary, 3 structured, the batches (1 or more)
            for (RecordingWebhook.Request request : requests) {
                List<String> errors = new ArrayList<>();
                String contentType = request.header("content-type");
                if (request.header("ce-id") != null) {
                    ObjectNode headers = JSON.createObjectNode();
                    request.headers().forEach(headers::put);
                    check(resolve(messages.path("binaryEvent")).path("headers"), headers, "headers", errors);
                } else if (contentType.startsWith("application/cloudevents+json")) {
                    check(resolve(messages.path("structuredEvent")).path("payload"), JSON.readTree(request.body()), "payload", errors);
                } else {
                    JsonNode batch = resolve(messages.path("batch"));
                    assertThat(contentType).isEqualTo(batch.path("contentType").asText());
                    check(batch.path("payload"), JSON.readTree(request.body()), "payload", errors);
                }
                assertThat(errors).as("request %s", request.headers()).isEmpty();
            }
        }
    }

    @Test
    void theCheckCatchesWhatTheDocumentDoesNotDescribe() {
        ObjectNode headers = JSON.createObjectNode().put("ce_specversion", "0.3").put("x-unknown", "1");
        List<String> errors = new ArrayList<>();
        check(spec.at("/components/schemas/KafkaBinaryHeaders"), headers, "headers", errors);
        assertThat(errors).contains("headers: missing required ce_id", "headers.ce_specversion: \"0.3\" is not \"1.0\"",
                "headers: x-unknown is not in the document");
    }

    // ------------------------------------------------------------ a small JSON Schema check (what the document uses)

    private static JsonNode resolve(JsonNode node) {
        while (node.has("$ref")) {
            JsonNode target = spec;
            for (String part : node.get("$ref").asText().substring(2).split("/")) {
                target = target.path(part);
            }
            assertThat(target.isMissingNode()).as("reference %s", node.get("$ref")).isFalse();
            node = target;
        }
        return node;
    }

    private static void check(JsonNode schemaOrRef, JsonNode value, String path, List<String> errors) {
        JsonNode schema = resolve(schemaOrRef);
        if (schema.has("const") && !schema.get("const").asText().equals(value.asText())) {
            errors.add(path + ": " + value + " is not " + schema.get("const"));
        }
        if (schema.has("pattern") && !(value.isTextual() && value.asText().matches(schema.get("pattern").asText()))) {
            errors.add(path + ": " + value + " does not match " + schema.get("pattern").asText());
        }
        String type = schema.path("type").asText("");
        if (type.equals("string") && !value.isTextual()) {
            errors.add(path + ": " + value + " is not a string");
        }
        if (type.equals("array")) {
            if (!value.isArray()) {
                errors.add(path + ": not an array");
                return;
            }
            for (int i = 0; i < value.size(); i++) {
                check(schema.path("items"), value.get(i), path + "[" + i + "]", errors);
            }
        }
        if (type.equals("object")) {
            if (!value.isObject()) {
                errors.add(path + ": not an object");
                return;
            }
            for (JsonNode required : schema.path("required")) {
                if (!value.has(required.asText())) {
                    errors.add(path + ": missing required " + required.asText());
                }
            }
            for (Iterator<Map.Entry<String, JsonNode>> fields = value.fields(); fields.hasNext(); ) {
                Map.Entry<String, JsonNode> field = fields.next();
                String name = field.getKey();
                String at = path + "." + name;
                if (schema.path("properties").has(name)) {
                    check(schema.path("properties").get(name), field.getValue(), at, errors);
                    continue;
                }
                boolean matched = false;
                for (Iterator<Map.Entry<String, JsonNode>> patterns = schema.path("patternProperties").fields(); patterns.hasNext(); ) {
                    Map.Entry<String, JsonNode> pattern = patterns.next();
                    if (name.matches(pattern.getKey())) {
                        check(pattern.getValue(), field.getValue(), at, errors);
                        matched = true;
                    }
                }
                if (!matched && schema.path("additionalProperties").isBoolean() && !schema.path("additionalProperties").asBoolean()) {
                    errors.add(path + ": " + name + " is not in the document");
                }
            }
        }
    }
}
