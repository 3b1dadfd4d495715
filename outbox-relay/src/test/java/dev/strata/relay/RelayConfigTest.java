package dev.strata.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.strata.eventstore.ValidationException;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RelayConfigTest {

    @Test
    void readsEverySettingOfAKafkaRelay() {
        RelayConfig config = RelayConfig.of(Map.ofEntries(Map.entry("name", "orders"), Map.entry("sink", "kafka"),
                Map.entry("kafka.bootstrap.servers", "localhost:9092"), Map.entry("kafka.topic.prefix", "strata."),
                Map.entry("kafka.topic.category.payment", "payments-v2"), Map.entry("kafka.content.mode", "structured"),
                Map.entry("kafka.producer.linger.ms", "20"), Map.entry("categories", "order, payment"),
                Map.entry("types", "OrderPlaced"), Map.entry("retry.initial.ms", "50"), Map.entry("retry.failures.to.open", "3")));
        assertThat(config.name()).isEqualTo("orders");
        assertThat(config.filter()).isEqualTo(new RelayFilter(Set.of("order", "payment"), Set.of("OrderPlaced")));
        assertThat(config.retryPolicy().initialBackoff()).isEqualTo(Duration.ofMillis(50));
        assertThat(config.retryPolicy().failuresToOpen()).isEqualTo(3);
        try (EventSink sink = config.sink()) {
            assertThat(sink.describe()).contains("localhost:9092", "structured", "prefix strata.", "payment=payments-v2");
        }
    }

    @Test
    void mistakesAreNamed() {
        assertThatThrownBy(() -> RelayConfig.of(Map.of("name", "x", "sink", "kafka")))
                .isInstanceOf(ValidationException.class).hasMessageStartingWith("kafka.bootstrap.servers is required");
        assertThatThrownBy(() -> RelayConfig.of(Map.of("name", "x", "sink", "smtp")))
                .isInstanceOf(ValidationException.class).hasMessage("sink must be kafka or http but was 'smtp'");
        assertThatThrownBy(() -> RelayConfig.of(Map.of("name", "x", "sink", "http", "http.url", "http://h/x", "http.batch.size", "lots")))
                .isInstanceOf(ValidationException.class).hasMessage("http.batch.size must be an integer but was 'lots'");
        assertThatThrownBy(() -> RelayConfig.of(Map.of("name", "x", "sink", "http", "http.url", "ftp://h/x")))
                .isInstanceOf(ValidationException.class).hasMessageStartingWith("endpoint must be an absolute http");
        assertThatThrownBy(() -> RelayConfig.of(Map.of("name", "x", "sink", "http", "http.url", "http://h/x", "categories", "a-b")))
                .isInstanceOf(ValidationException.class).hasMessageStartingWith("category must match");
        assertThatThrownBy(() -> RelayConfig.of(Map.of("name", "x", "sink", "http", "http.url", "http://h/x", "bacth.size", "5")))
                .isInstanceOf(ValidationException.class).hasMessageContaining("but was 'bacth.size'");
    }
}
