package dev.strata.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.strata.eventstore.ValidationException;
import org.junit.jupiter.api.Test;

class TopicMappingTest {

    @Test
    void oneTopicPerCategoryWithPrefixAndOverrides() {
        TopicMapping mapping = TopicMapping.perCategory("strata.").with("payment", "payments-v2");
        assertThat(mapping.topicFor("order-42")).isEqualTo("strata.order");
        assertThat(mapping.topicFor("order")).isEqualTo("strata.order");
        assertThat(mapping.topicFor("payment-7")).isEqualTo("payments-v2");
        assertThat(mapping.topicFor("tenant:a@b-1")).isEqualTo("strata.tenant_a_b"); // ':' and '@' are not topic characters
        assertThat(TopicMapping.single("events").with("audit", "audit").topicFor("order-1")).isEqualTo("events");
        assertThat(TopicMapping.single("events").with("audit", "audit").topicFor("audit-1")).isEqualTo("audit");
    }

    @Test
    void badNamesAreRefusedWithTheRule() {
        assertThatThrownBy(() -> TopicMapping.single("a/b")).isInstanceOf(ValidationException.class)
                .hasMessageContaining("topic").hasMessageContaining("'a/b'");
        assertThatThrownBy(() -> TopicMapping.perCategory().with("order", "..")).isInstanceOf(ValidationException.class);
        assertThatThrownBy(() -> KafkaSink.builder("localhost:9092").producerProperty("acks", "1").build())
                .isInstanceOf(ValidationException.class).hasMessageContaining("acks must stay 'all'");
        assertThatThrownBy(() -> KafkaSink.builder("localhost:9092").producerProperty("enable.idempotence", false).build())
                .isInstanceOf(ValidationException.class);
        assertThatThrownBy(() -> KafkaSink.builder("localhost:9092").producerProperty("partitioner.class", "x.Mine").build())
                .isInstanceOf(ValidationException.class).hasMessageContaining("partitioner.class cannot be changed");
    }
}
