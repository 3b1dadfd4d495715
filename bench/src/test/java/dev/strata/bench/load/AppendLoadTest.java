package dev.strata.bench.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AppendLoadTest {

    @Test
    void threadsShareTheStreamsWithoutOverlap() {
        AppendLoad load = AppendLoad.defaults().withStreams(10, StreamPicker.Distribution.UNIFORM).withConcurrency(3);
        Set<Integer> streams = new HashSet<>();
        int total = 0;
        for (int t = 0; t < 3; t++) {
            for (int k = 0; k < load.streamsOf(t); k++) {
                assertThat(streams.add(t + k * 3)).as("stream owned twice").isTrue();
                total++;
            }
        }
        assertThat(total).isEqualTo(10);
        assertThat(streams).allMatch(s -> s >= 0 && s < 10);
    }

    @Test
    void fixedRateSpreadsTheRateOverThreads() {
        AppendLoad load = AppendLoad.defaults().withConcurrency(4).withRate(1000);
        assertThat(load.intervalNanos()).isEqualTo(4_000_000); // each of 4 threads every 4 ms = 1000/s
        assertThat(AppendLoad.defaults().intervalNanos()).isZero();
    }

    @Test
    void payloadsHaveExactlyTheEventSize() {
        for (int size : new int[] {32, 50, 200, 1000}) {
            Payload payload = Payload.of(size);
            assertThat(payload.json()).hasSize(size);
            assertThat(new String(payload.json(), StandardCharsets.UTF_8)).startsWith("{").endsWith("}");
        }
        assertThat(Payload.of(200).noteLength() + "{\"orderId\":\"order-1\",\"amount\":12345,\"note\":\"\"}".length()).isEqualTo(200);
    }

    @Test
    void badSettingsNameTheFieldAndTheValue() {
        AppendLoad load = AppendLoad.defaults();
        assertThatThrownBy(() -> load.withConcurrency(0)).hasMessage("concurrency must be >= 1 but was 0");
        assertThatThrownBy(() -> load.withConflictRate(1.5)).hasMessage("conflictRate must be between 0 and 1 but was 1.5");
        assertThatThrownBy(() -> load.withStreams(2, StreamPicker.Distribution.ZIPF).withConcurrency(4))
                .hasMessageContaining("streams must be >= concurrency (4)");
        assertThatThrownBy(() -> load.withEventSize(8)).hasMessageContaining("eventSize must be >= 32 but was 8");
    }
}
