package dev.strata.relay.testkit;

import dev.strata.relay.EventRejectedException;
import dev.strata.relay.EventSink;
import io.cloudevents.CloudEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Predicate;

/**
 * A sink that keeps what it is given, for tests about what reaches a sink rather than about a broker: optional random
 * latency per batch (to interleave several relays) and a rule for events to refuse.
 */
public final class RecordingSink implements EventSink {

    private final List<CloudEvent> received;
    private final int maxLatencyMicros;
    private final Predicate<CloudEvent> refuse;

    /** {@code received} may be shared by several sinks (several relays); it is used under its own lock. */
    public RecordingSink(List<CloudEvent> received, int maxLatencyMicros, Predicate<CloudEvent> refuse) {
        this.received = received;
        this.maxLatencyMicros = maxLatencyMicros;
        this.refuse = refuse;
    }

    @Override
    public void publish(List<CloudEvent> events) {
        if (maxLatencyMicros > 0) {
            long micros = ThreadLocalRandom.current().nextLong(maxLatencyMicros);
            try {
                Thread.sleep(micros / 1000, (int) (micros % 1000) * 1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        List<CloudEvent> accepted = new ArrayList<>();
        for (int i = 0; i < events.size(); i++) {
            if (refuse.test(events.get(i))) {
                synchronized (received) {
                    received.addAll(accepted);
                }
                throw new EventRejectedException(i, "refused by the test", null);
            }
            accepted.add(events.get(i));
        }
        synchronized (received) {
            received.addAll(accepted);
        }
    }

    @Override
    public String describe() {
        return "recording sink";
    }

    @Override
    public void close() {
    }
}
