package dev.strata.relay.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.strata.relay.CircuitState;
import dev.strata.relay.EventRejectedException;
import dev.strata.relay.EventSink;
import dev.strata.relay.RetryPolicy;
import dev.strata.relay.SinkException;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** The retry loop against a scripted sink, on virtual time. */
class PublisherTest {

    Instant now = Instant.parse("2026-01-01T00:00:00Z");
    final List<Duration> sleeps = new ArrayList<>();
    final Sleeper virtualSleeper = new Sleeper() {
        @Override
        public void sleep(Duration duration) {
            sleeps.add(duration);
            now = now.plus(duration);
        }

        @Override
        public void wakeUp() {
        }
    };
    final RetryPolicy policy = new RetryPolicy(Duration.ofMillis(100), Duration.ofSeconds(1), 2.0, 3,
            Duration.ofSeconds(5), Duration.ofMinutes(1));
    final CircuitBreaker breaker = new CircuitBreaker(policy.failuresToOpen(), policy.openDuration(), () -> now, (a, b) -> { });
    final RelayMetrics metrics = new RelayMetrics(new SimpleMeterRegistry(), "test", () -> 0, () -> 0, () -> breaker.state().code());
    final List<String> published = new ArrayList<>();
    final List<String> deadLetters = new ArrayList<>();
    boolean running = true;

    /** A sink that answers each call with the next scripted outcome (null: acknowledge everything). */
    private EventSink scripted(Deque<Function<List<CloudEvent>, RuntimeException>> outcomes) {
        return new EventSink() {
            @Override
            public void publish(List<CloudEvent> events) {
                Function<List<CloudEvent>, RuntimeException> next = outcomes.poll();
                RuntimeException failure = next == null ? null : next.apply(events);
                int acknowledged = failure == null ? events.size()
                        : failure instanceof SinkException sink ? sink.acknowledged() : 0;
                events.subList(0, acknowledged).forEach(e -> published.add(e.getId()));
                if (failure != null) {
                    throw failure;
                }
            }

            @Override
            public String describe() {
                return "scripted";
            }

            @Override
            public void close() {
            }
        };
    }

    private Publisher publisher(EventSink sink) {
        return new Publisher("test", sink, new Backoff(policy, () -> 0.0), breaker, metrics, virtualSleeper, () -> running);
    }

    private static List<CloudEvent> events(int count) {
        List<CloudEvent> events = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            events.add(CloudEventBuilder.v1().withId("e" + i).withSource(URI.create("test:/s")).withType("T").withSubject("s-1").build());
        }
        return events;
    }

    @Test
    void retriesWithGrowingBackoffOpensTheCircuitAndResumesAfterWhatWasAcknowledged() {
        Deque<Function<List<CloudEvent>, RuntimeException>> outcomes = new ArrayDeque<>();
        outcomes.add(events -> new SinkException("down", true, null, 2, null)); // e0, e1 acknowledged
        outcomes.add(events -> SinkException.retryable("down", null));
        outcomes.add(events -> SinkException.retryable("down", null)); // third failure in a row: open
        outcomes.add(events -> new IllegalStateException("a bug in a sink is retried too"));
        publisher(scripted(outcomes)).publish(events(5), (event, reason) -> deadLetters.add(event.getId()));
        assertThat(published).containsExactly("e0", "e1", "e2", "e3", "e4");
        // backoff 50, 100, 200 ms (jitter at its lowest); then the open circuit's 5 s minus that last backoff; then the
        // half-open trial fails: open again, a full period
        assertThat(sleeps).containsExactly(Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(200),
                Duration.ofMillis(4_800), Duration.ofMillis(400), Duration.ofMillis(4_600));
        assertThat(breaker.state()).isEqualTo(CircuitState.CLOSED);
        assertThat(breaker.openings()).isEqualTo(2);
        assertThat(metrics.retryCount()).isEqualTo(4);
        assertThat(metrics.publishedCount()).isEqualTo(5);
    }

    @Test
    void aRejectedEventIsHandedOverAndPublishingGoesOnAfterIt() {
        Deque<Function<List<CloudEvent>, RuntimeException>> outcomes = new ArrayDeque<>();
        outcomes.add(events -> new EventRejectedException(1, "too big", null)); // e0 acknowledged, e1 refused
        outcomes.add(events -> new EventRejectedException(0, "too big", null)); // e2 refused
        publisher(scripted(outcomes)).publish(events(4), (event, reason) -> deadLetters.add(event.getId() + ":" + reason));
        assertThat(published).containsExactly("e0", "e3");
        assertThat(deadLetters).containsExactly("e1:too big", "e2:too big");
        assertThat(sleeps).isEmpty();
        assertThat(metrics.deadLetterCount()).isEqualTo(2);
    }

    @Test
    void stopsWithoutAcknowledgingWhenTheRelayStops() {
        Deque<Function<List<CloudEvent>, RuntimeException>> outcomes = new ArrayDeque<>();
        outcomes.add(events -> {
            running = false;
            return SinkException.retryable("down", null);
        });
        assertThatThrownBy(() -> publisher(scripted(outcomes)).publish(events(2), (event, reason) -> { }))
                .isInstanceOf(Publisher.StoppedException.class);
        assertThat(published).isEmpty();
    }
}
