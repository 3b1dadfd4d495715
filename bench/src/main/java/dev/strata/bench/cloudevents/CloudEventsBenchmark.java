package dev.strata.bench.cloudevents;

import dev.strata.bench.load.Payload;
import dev.strata.eventstore.EventData;
import dev.strata.eventstore.Metadata;
import dev.strata.eventstore.RecordedEvent;
import dev.strata.eventstore.cloudevents.CloudEventJson;
import dev.strata.eventstore.cloudevents.CloudEventMapper;
import io.cloudevents.CloudEvent;
import io.cloudevents.jackson.JsonFormat;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The CloudEvents mapping of a 200-byte JSON event with correlation and trace metadata, both directions: Strata's
 * streaming {@link CloudEventJson} beside the SDK's object model ({@link CloudEventMapper} + the SDK's Jackson
 * {@link JsonFormat}), which is what the relay and the server would otherwise use.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class CloudEventsBenchmark {

    private RecordedEvent event;
    private CloudEventJson strata;
    private CloudEventMapper mapper;
    private JsonFormat sdk;
    private byte[] json;

    @Setup
    public void setUp() {
        Metadata metadata = Metadata.empty()
                .with(Metadata.CORRELATION_ID, UUID.randomUUID().toString())
                .with("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
        event = new RecordedEvent(UUID.randomUUID(), "order-12345", 7, 123_456_789, "OrderPlaced", Instant.parse("2026-01-02T03:04:05.123456Z"),
                EventData.JSON, metadata, Payload.of(200).json());
        mapper = new CloudEventMapper("bench");
        strata = new CloudEventJson(mapper);
        sdk = new JsonFormat();
        json = strata.write(event);
    }

    @Benchmark
    public byte[] writeStrata() {
        return strata.write(event);
    }

    @Benchmark
    public byte[] writeSdk() {
        return sdk.serialize(mapper.toCloudEvent(event));
    }

    @Benchmark
    public EventData readStrata() {
        return strata.read(json);
    }

    @Benchmark
    public EventData readSdk() {
        CloudEvent cloudEvent = sdk.deserialize(json);
        return mapper.toEventData(cloudEvent);
    }
}
