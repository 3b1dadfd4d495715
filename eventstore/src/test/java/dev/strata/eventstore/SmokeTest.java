package dev.strata.eventstore;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SmokeTest {

    @TempDir
    Path dir;

    @Test
    void appendsAndReadsBack() {
        try (EventStore store = EventStore.open(dir)) {
            AppendResult first = store.append("order-1", ExpectedVersion.noStream(), EventData.json("Placed", "{\"a\":1}"));
            AppendResult second = store.append("order-1", ExpectedVersion.exactly(0), EventData.json("Paid", "{}"), EventData.json("Shipped", "{}"));
            assertThat(first).isEqualTo(new AppendResult("order-1", 0, 0, 0, 0));
            assertThat(second).isEqualTo(new AppendResult("order-1", 1, 2, 1, 2));
            List<RecordedEvent> all = store.readAll(0, 100).toList();
            assertThat(all).extracting(RecordedEvent::type).containsExactly("Placed", "Paid", "Shipped");
            assertThat(store.readStream("order-1", 0, Direction.FORWARD, 10).toList()).hasSize(3);
            assertThat(store.readStream("order-1", StreamVersions.END, Direction.BACKWARD, 10).map(RecordedEvent::version).toList())
                    .containsExactly(2L, 1L, 0L);
            assertThat(store.readCategory("order", 1, 10).map(RecordedEvent::position).toList()).containsExactly(1L, 2L);
        }
        try (EventStore store = EventStore.open(dir)) {
            assertThat(store.headPosition()).isEqualTo(2);
            AppendResult third = store.append("order-1", ExpectedVersion.exactly(2), EventData.json("Closed", "{}"));
            assertThat(third.firstPosition()).isEqualTo(3);
        }
    }
}
