package dev.strata.relay;

import java.util.List;

/**
 * The read side fed by a {@link KafkaEventSource}: receives the events of one poll, per partition in offset order
 * (so per stream in version order). Delivery is at least once: the source moves a partition's checkpoint only after
 * this returns, so after a crash or a throw the same events come again. Dedup with an {@link Inbox}, or by keeping the
 * last applied {@code version} per stream with the read model.
 */
@FunctionalInterface
public interface ReceivedEventHandler {

    void handle(List<ReceivedEvent> events);
}
