package dev.strata.relay;

import io.cloudevents.CloudEvent;
import java.util.List;

/**
 * Where a relay publishes: Kafka ({@link KafkaSink}), a webhook ({@link HttpSink}), or your own. Called from one relay
 * thread at a time, with the events of one batch in log order; each event's {@code subject} is its stream name (the
 * ordering key).
 *
 * <p>The contract that makes the relay at-least-once and ordered per stream: {@link #publish} returns only when the
 * destination has acknowledged every event of the list; otherwise it throws, and then the relay publishes the same
 * events again (after those acknowledged before an {@link EventRejectedException}). A sink must never acknowledge an
 * event of a stream before the earlier events of that stream in the list.
 */
public interface EventSink extends AutoCloseable {

    /**
     * Publishes {@code events} in order and returns when all are acknowledged.
     *
     * @throws EventRejectedException the destination refused one event for good; those before it were acknowledged
     * @throws SinkException anything else: the relay retries the list with backoff
     */
    void publish(List<CloudEvent> events);

    /** A short description for logs: {@code kafka localhost:9092}, {@code http https://example.com/hook}. */
    String describe();

    /** Releases connections and threads. The relay that owns the sink closes it when it closes. */
    @Override
    void close();
}
