package dev.strata.bench.codec;

import dev.strata.eventstore.AppendRequest;
import dev.strata.eventstore.EventData;
import dev.strata.eventstore.ExpectedVersion;
import dev.strata.eventstore.Metadata;
import dev.strata.eventstore.internal.codec.AppendEncoder;
import dev.strata.eventstore.internal.codec.EncodedAppend;
import dev.strata.eventstore.internal.codec.RecordView;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/** The record codec: encoding an append (on the appender's thread), stamping it (writer), decoding it (readers). */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class RecordCodecBenchmark {

    @Param({"1", "100"})
    int events;

    private List<AppendRequest> requests;
    private EncodedAppend encoded;
    private final RecordView view = new RecordView();
    private final long[] versions = new long[1];

    @Setup
    public void setUp() {
        byte[] payload = new byte[200];
        Metadata metadata = Metadata.empty().with(Metadata.CORRELATION_ID, UUID.randomUUID().toString());
        EventData[] data = new EventData[events];
        for (int i = 0; i < events; i++) {
            data[i] = new EventData(UUID.randomUUID(), "OrderPlaced", EventData.JSON, metadata, payload);
        }
        requests = List.of(AppendRequest.of("order-12345", ExpectedVersion.exactly(7), data));
        encoded = AppendEncoder.encode(requests, 16 << 20);
        encoded.stamp(1000, 1_700_000_000_000_000L, versions);
    }

    @Benchmark
    public EncodedAppend encode() {
        return AppendEncoder.encode(requests, 16 << 20);
    }

    @Benchmark
    public EncodedAppend stamp() {
        encoded.stamp(1000, 1_700_000_000_000_000L, versions);
        return encoded;
    }

    @Benchmark
    public Object decode() {
        view.wrap(encoded.record(), encoded.length());
        Object last = null;
        for (int e = 0; e < view.eventCount(); e++) {
            last = view.event(e);
        }
        return last;
    }
}
