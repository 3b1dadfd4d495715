package dev.strata.relay.internal;

import dev.strata.relay.EventRejectedException;
import dev.strata.relay.EventSink;
import dev.strata.relay.SinkException;
import io.cloudevents.CloudEvent;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gets one batch acknowledged by a sink, whatever it takes: retries with backoff behind the circuit breaker, forever,
 * until the sink acknowledges or the relay stops. An event the sink refuses for good is handed to the rejection
 * handler (the dead-letter stream) and publishing goes on after it. Order: the events are always (re-)published from
 * the first unacknowledged one, in list order, so per stream nothing overtakes an earlier event. Runs on the relay
 * thread.
 */
public final class Publisher {

    private static final Logger LOG = LoggerFactory.getLogger(Publisher.class);

    /** Receives an event the sink refused for good, with the reason. */
    @FunctionalInterface
    public interface RejectionHandler {
        void rejected(CloudEvent event, String reason);
    }

    /** The relay stopped while a batch was not yet acknowledged: its checkpoint must not move. */
    public static final class StoppedException extends RuntimeException {
        StoppedException() {
            super("relay stopped before the sink acknowledged the batch", null, false, false);
        }
    }

    private final String relay;
    private final EventSink sink;
    private final Backoff backoff;
    private final CircuitBreaker breaker;
    private final RelayMetrics metrics;
    private final Sleeper sleeper;
    private final BooleanSupplier running;

    public Publisher(String relay, EventSink sink, Backoff backoff, CircuitBreaker breaker, RelayMetrics metrics,
                     Sleeper sleeper, BooleanSupplier running) {
        this.relay = relay;
        this.sink = sink;
        this.backoff = backoff;
        this.breaker = breaker;
        this.metrics = metrics;
        this.sleeper = sleeper;
        this.running = running;
    }

    /**
     * Returns when every event is acknowledged or rejected.
     *
     * @throws StoppedException the relay stopped first
     */
    public void publish(List<CloudEvent> events, RejectionHandler onRejected) {
        int from = 0;
        int attempt = 0;
        while (from < events.size()) {
            if (!running.getAsBoolean()) {
                throw new StoppedException();
            }
            Duration wait = breaker.timeUntilAttempt();
            if (!wait.isZero()) {
                sleeper.sleep(wait);
                continue;
            }
            List<CloudEvent> rest = events.subList(from, events.size());
            try {
                sink.publish(rest);
                breaker.onSuccess();
                metrics.published(rest.size());
                if (attempt > 0) {
                    LOG.info("relay {}: {} accepted the batch again after {} failed attempts", relay, sink.describe(), attempt);
                }
                return;
            } catch (EventRejectedException rejection) {
                // The destination answered: it is up, only this event is refused.
                breaker.onSuccess();
                int index = rejection.index();
                if (index >= rest.size()) {
                    throw new IllegalStateException(sink.describe() + " rejected event " + index + " of a batch of " + rest.size());
                }
                metrics.published(index);
                CloudEvent refused = rest.get(index);
                LOG.warn("relay {}: {} refused event {} of {} ({}): {}; dead-lettering it", relay,
                        sink.describe(), refused.getId(), refused.getSubject(), refused.getType(), rejection.reason());
                onRejected.rejected(refused, rejection.reason());
                metrics.deadLettered();
                from += index + 1;
                attempt = 0;
            } catch (RuntimeException failure) {
                if (failure instanceof SinkException partial && partial.acknowledged() > 0) {
                    int done = Math.min(partial.acknowledged(), rest.size());
                    metrics.published(done);
                    from += done;
                }
                attempt++;
                metrics.retried();
                breaker.onFailure();
                Optional<Duration> retryAfter = failure instanceof SinkException sinkFailure ? sinkFailure.retryAfter() : Optional.empty();
                Duration delay = backoff.delay(attempt, retryAfter);
                if (attempt == 1 || attempt % 10 == 0) {
                    LOG.warn("relay {}: publishing {} events to {} failed (attempt {}, circuit {}), retrying in {} ms: {}",
                            relay, rest.size(), sink.describe(), attempt, breaker.state(), delay.toMillis(), oneLine(failure));
                }
                if (!(failure instanceof SinkException) || !((SinkException) failure).isRetryable()) {
                    if (attempt == 1) {
                        LOG.error("relay {}: {} failed in a way that may not heal by itself; retrying anyway, nothing is skipped",
                                relay, sink.describe(), failure);
                    }
                }
                sleeper.sleep(delay);
            }
        }
    }

    private static String oneLine(Throwable failure) {
        String message = failure.getMessage() == null ? failure.getClass().getSimpleName() : failure.getMessage();
        return message.replace('\n', ' ');
    }
}
