package dev.strata.eventstore.cloudevents;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.strata.eventstore.EventData;
import dev.strata.eventstore.Metadata;
import dev.strata.eventstore.RecordedEvent;
import dev.strata.eventstore.ValidationException;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.cloudevents.jackson.JsonFormat;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class CloudEventJsonTest {

    private final CloudEventJson json = new CloudEventJson(new CloudEventMapper("shop"));
    private final JsonFormat sdk = new JsonFormat();

    private static RecordedEvent recorded(String contentType, byte[] data, Metadata metadata) {
        return new RecordedEvent(UUID.fromString("6f1c7c1e-9a59-4c4e-9d3c-1f6a2b9b8e01"), "order-42", 7, 1_234_567_890_123L,
                "OrderPlaced", Instant.parse("2026-11-27T10:15:30.123456Z"), contentType, metadata, data);
    }

    private static final Metadata TRACED = Metadata.empty()
            .with(Metadata.CORRELATION_ID, "corr-1")
            .with(Metadata.CAUSATION_ID, "cause-1")
            .with(Metadata.TRACEPARENT, "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");

    @Test
    void theSdkReadsOurJsonWithEveryAttributeOfTheMapping() {
        RecordedEvent event = recorded(EventData.JSON, "{\"item\":\"widget\",\"price\":42}".getBytes(StandardCharsets.UTF_8), TRACED);

        CloudEvent read = sdk.deserialize(json.write(event));

        assertThat(read.getId()).isEqualTo(event.id().toString());
        assertThat(read.getSource()).isEqualTo(URI.create("strata://shop/order-42"));
        assertThat(read.getType()).isEqualTo("OrderPlaced");
        assertThat(read.getSubject()).isEqualTo("order-42");
        assertThat(read.getTime()).isEqualTo(OffsetDateTime.parse("2026-11-27T10:15:30.123456Z"));
        assertThat(read.getDataContentType()).isEqualTo("application/json");
        assertThat(read.getExtension("streamversion")).isEqualTo("7");
        assertThat(read.getExtension("position")).isEqualTo("1234567890123");
        assertThat(read.getExtension("correlationid")).isEqualTo("corr-1");
        assertThat(read.getExtension("causationid")).isEqualTo("cause-1");
        assertThat(read.getExtension("traceparent")).isEqualTo("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
        assertThat(new String(read.getData().toBytes(), StandardCharsets.UTF_8)).isEqualTo("{\"item\":\"widget\",\"price\":42}");
    }

    @Test
    void ourJsonEqualsTheSdksSerializationOfTheMappedEvent() throws Exception {
        RecordedEvent event = recorded(EventData.JSON, "{\"a\":[1,2,{\"b\":null}]}".getBytes(StandardCharsets.UTF_8), TRACED);
        ObjectMapper mapper = new ObjectMapper();

        assertThat(mapper.readTree(json.write(event)))
                .isEqualTo(mapper.readTree(sdk.serialize(json.mapper().toCloudEvent(event))));
    }

    @Test
    void binaryDataTravelsAsBase64AndAnAppenderSetSourceIsKept() {
        Metadata metadata = Metadata.empty().with(Metadata.SOURCE, "https://shop.example/orders").with(Metadata.DATASCHEMA, "urn:schema:1");
        RecordedEvent event = recorded("application/octet-stream", new byte[] {0, (byte) 0xfe, 42}, metadata);

        CloudEvent read = sdk.deserialize(json.write(event));

        assertThat(read.getSource()).isEqualTo(URI.create("https://shop.example/orders"));
        assertThat(read.getDataSchema()).isEqualTo(URI.create("urn:schema:1"));
        assertThat(read.getData().toBytes()).containsExactly(0, 0xfe, 42);
    }

    @Test
    void invalidJsonUnderAJsonContentTypeIsWrittenAsBase64SoTheOutputStaysValid() {
        RecordedEvent event = recorded(EventData.JSON, "{not json".getBytes(StandardCharsets.UTF_8), Metadata.empty());

        CloudEvent read = sdk.deserialize(json.write(event));

        assertThat(new String(read.getData().toBytes(), StandardCharsets.UTF_8)).isEqualTo("{not json");
    }

    @Test
    void weReadEventsTheSdkWrote() {
        UUID id = UUID.randomUUID();
        CloudEvent written = CloudEventBuilder.v1()
                .withId(id.toString())
                .withSource(URI.create("/checkout"))
                .withType("com.example.OrderPlaced")
                .withDataContentType("application/json")
                .withExtension("correlationid", "corr-9")
                .withExtension("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01")
                .withData("{\"total\":42}".getBytes(StandardCharsets.UTF_8))
                .build();

        EventData event = json.read(sdk.serialize(written));

        assertThat(event.id()).isEqualTo(id);
        assertThat(event.type()).isEqualTo("com.example.OrderPlaced");
        assertThat(event.contentType()).isEqualTo("application/json");
        assertThat(event.metadata().get(Metadata.SOURCE)).hasValue("/checkout");
        assertThat(event.metadata().correlationId()).hasValue("corr-9");
        assertThat(event.metadata().traceparent()).hasValue("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");
        assertThat(new String(event.data(), StandardCharsets.UTF_8)).isEqualTo("{\"total\":42}");
        assertThat(json.mapper().toEventData(written)).isEqualTo(event);
    }

    @Test
    void aBatchRoundTripsThroughTheSdk() throws Exception {
        RecordedEvent a = recorded(EventData.JSON, "{\"n\":1}".getBytes(StandardCharsets.UTF_8), TRACED);
        RecordedEvent b = recorded("text/plain", "hello".getBytes(StandardCharsets.UTF_8), Metadata.empty());
        byte[] batch = json.writeBatch(List.of(a, b));

        ObjectMapper mapper = new ObjectMapper().registerModule(JsonFormat.getCloudEventJacksonModule());
        CloudEvent[] read = mapper.readValue(batch, CloudEvent[].class);
        assertThat(read).hasSize(2);
        assertThat(new String(read[1].getData().toBytes(), StandardCharsets.UTF_8)).isEqualTo("hello");

        List<EventData> back = json.readBatch(batch);
        assertThat(back).extracting(EventData::id).containsExactly(a.id(), b.id());
        assertThat(back.get(1).data()).isEqualTo("hello".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void nonJsonDataGivenAsAStringIsTheDataItself() {
        String body = "{\"specversion\":\"1.0\",\"id\":\"" + UUID.randomUUID() + "\",\"source\":\"/s\",\"type\":\"T\","
                + "\"datacontenttype\":\"text/plain\",\"data\":\"plain words\"}";
        assertThat(new String(json.read(body.getBytes(StandardCharsets.UTF_8)).data(), StandardCharsets.UTF_8)).isEqualTo("plain words");
    }

    @Test
    void badEventsAreRefusedNamingTheAttributeAndTheRule() {
        String id = UUID.randomUUID().toString();
        assertRefused("{\"id\":\"" + id + "\",\"source\":\"/s\",\"type\":\"T\"}", "specversion", "is required");
        assertRefused("{\"specversion\":\"0.3\",\"id\":\"" + id + "\",\"source\":\"/s\",\"type\":\"T\"}", "specversion", "must be 1.0");
        assertRefused("{\"specversion\":\"1.0\",\"source\":\"/s\",\"type\":\"T\"}", "id", "is required");
        assertRefused("{\"specversion\":\"1.0\",\"id\":\"abc\",\"source\":\"/s\",\"type\":\"T\"}", "id", "must be a UUID");
        assertRefused("{\"specversion\":\"1.0\",\"id\":\"" + id + "\",\"type\":\"T\"}", "source", "is required");
        assertRefused("{\"specversion\":\"1.0\",\"id\":\"" + id + "\",\"source\":\"/s\"}", "type", "is required");
        assertRefused("{\"specversion\":\"1.0\",\"id\":\"" + id + "\",\"source\":\"/s\",\"type\":\"T\",\"Bad-Ext\":\"x\"}",
                "Bad-Ext", "extension names");
        assertRefused("{\"specversion\":\"1.0\",\"id\":\"" + id + "\",\"source\":\"/s\",\"type\":\"T\",\"data_base64\":\"***\"}",
                "data_base64", "base64");
        assertRefused("{\"specversion\":1,\"id\":\"" + id + "\",\"source\":\"/s\",\"type\":\"T\"}", "specversion", "must be a string");
        assertRefused("[1]", "body", "JSON object");
        assertRefused("{\"specversion\":\"1.0\",", "body", "well-formed");
        assertThatThrownBy(() -> json.readBatch("[{\"specversion\":\"1.0\"}]".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.field()).isEqualTo("[0].id"));
    }

    private void assertRefused(String body, String field, String rule) {
        assertThatThrownBy(() -> json.read(body.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOfSatisfying(ValidationException.class, e -> {
                    assertThat(e.field()).isEqualTo(field);
                    assertThat(e.getMessage()).contains(rule);
                });
    }

    // ------------------------------------------------------------------ what the remote client and the server exchange

    @Test
    void aStoredEventReadsBackEqualThroughTheRemoteClientsReader() {
        RecordedEvent json = recorded(EventData.JSON, "{\"item\":\"widget\"}".getBytes(StandardCharsets.UTF_8), TRACED);
        RecordedEvent binary = recorded("application/octet-stream", new byte[] {0, 1, (byte) 0xff}, Metadata.empty());
        RecordedEvent empty = recorded(EventData.JSON, new byte[0], Metadata.empty().with(Metadata.SOURCE, "https://shop.example/orders"));

        assertThat(json.toString()).isNotBlank();
        for (RecordedEvent event : List.of(json, binary, empty)) {
            assertThat(this.json.readRecorded(this.json.write(event))).isEqualTo(event);
        }
        assertThat(this.json.readRecordedBatch(this.json.writeBatch(List.of(json, binary, empty)))).containsExactly(json, binary, empty);
    }

    @Test
    void anEventToAppendRoundTripsThroughTheServersReader() {
        EventData event = new EventData(UUID.randomUUID(), "OrderPlaced", EventData.JSON, TRACED,
                "{\"item\":\"widget\"}".getBytes(StandardCharsets.UTF_8));

        List<EventData> read = json.readBatch(json.writeBatch("order-42", List.of(event)));

        assertThat(read).hasSize(1);
        assertThat(read.get(0).metadata().get(Metadata.SOURCE)).as("the default source is written").hasValue("strata://shop/order-42");
        assertThat(json.mapper().withoutDefaultSource("order-42", read.get(0))).isEqualTo(event);
        assertThat(json.mapper().withoutDefaultSource("order-43", read.get(0))).as("another stream's default is a real source")
                .isNotEqualTo(event);
    }

    @Test
    void theDefaultSourceIsRecognisedExactly() {
        CloudEventMapper mapper = json.mapper();
        assertThat(mapper.isDefaultSource("strata://shop/order-42", "order-42")).isTrue();
        assertThat(mapper.isDefaultSource("strata://shop/order-4", "order-42")).isFalse();
        assertThat(mapper.isDefaultSource("strata://shopx/order-42", "order-42")).isFalse();
        assertThat(mapper.isDefaultSource("strata://sho/xorder-42", "order-42")).isFalse();
        assertThat(mapper.isDefaultSource("https://shop/order-42", "order-42")).isFalse();
        assertThat(mapper.isDefaultSource(mapper.defaultSource("a:b@c").toString(), "a:b@c")).isTrue();
    }

    @Test
    void aStoredEventWithoutItsStoreAttributesIsRefused() {
        String event = "{\"specversion\":\"1.0\",\"id\":\"" + UUID.randomUUID() + "\",\"source\":\"/s\",\"type\":\"T\"";
        assertThatThrownBy(() -> json.readRecorded((event + "}").getBytes(StandardCharsets.UTF_8)))
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.field()).isEqualTo("subject"));
        assertThatThrownBy(() -> json.readRecorded((event + ",\"subject\":\"s-1\",\"time\":\"2026-01-01T00:00:00Z\","
                + "\"streamversion\":\"-1\",\"position\":\"0\"}").getBytes(StandardCharsets.UTF_8)))
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.field()).isEqualTo("streamversion"));
        assertThatThrownBy(() -> json.readRecorded((event + ",\"subject\":\"s-1\",\"time\":\"yesterday\","
                + "\"streamversion\":\"0\",\"position\":\"0\"}").getBytes(StandardCharsets.UTF_8)))
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.field()).isEqualTo("time"));
    }
}
