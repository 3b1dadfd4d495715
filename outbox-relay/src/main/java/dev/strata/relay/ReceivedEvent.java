package dev.strata.relay;

import dev.strata.eventstore.RecordedEvent;
import io.cloudevents.CloudEvent;

/**
 * An event a {@link KafkaEventSource} read: the store's event rebuilt from the CloudEvent ({@code subject} = stream,
 * {@code streamversion} and {@code position} extensions = version and position, {@code source} and the other
 * extensions = metadata), the
 * CloudEvent itself (for an {@link Inbox}), and where it was in Kafka.
 */
public record ReceivedEvent(RecordedEvent event, CloudEvent cloudEvent, String topic, int partition, long offset) {
}
