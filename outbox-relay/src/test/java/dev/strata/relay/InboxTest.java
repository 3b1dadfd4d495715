package dev.strata.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The inbox on a real RocksDB: redelivered events have one effect. */
class InboxTest {

    static final byte[] COUNTER = "counter".getBytes();

    @TempDir
    Path dir;

    Instant now = Instant.parse("2026-01-01T00:00:00Z");

    private Inbox open() {
        return Inbox.open(dir.resolve("inbox"), Duration.ofHours(1), () -> now, false, false);
    }

    private static CloudEvent event(String source, String id) {
        return CloudEventBuilder.v1().withId(id).withSource(URI.create(source)).withType("T").withSubject("order-1").build();
    }

    /** Adds one to a counter kept in the inbox's own state: exactly once per event. */
    private static void count(Inbox inbox, CloudEvent event, InboxWrites writes) {
        long current = inbox.state(COUNTER).map(b -> ByteBuffer.wrap(b).getLong()).orElse(0L);
        writes.put(COUNTER, ByteBuffer.allocate(8).putLong(current + 1).array());
    }

    private static long counter(Inbox inbox) {
        return inbox.state(COUNTER).map(b -> ByteBuffer.wrap(b).getLong()).orElse(0L);
    }

    @Test
    void aRedeliveredEventIsHandledOnceAndTheSameIdFromAnotherSourceIsAnotherEvent() {
        try (Inbox inbox = open()) {
            AtomicInteger runs = new AtomicInteger();
            CloudEvent event = event("strata://shop/order-1", "e-1");
            assertThat(inbox.deliver(event, (e, w) -> runs.incrementAndGet())).isTrue();
            assertThat(inbox.deliver(event, (e, w) -> runs.incrementAndGet())).isFalse();
            assertThat(inbox.deliver(event("strata://shop/order-1", "e-1"), (e, w) -> runs.incrementAndGet())).isFalse();
            assertThat(inbox.deliver(event("strata://other/order-1", "e-1"), (e, w) -> runs.incrementAndGet())).isTrue();
            assertThat(runs).hasValue(2);
            assertThat(inbox.isHandled(event)).isTrue();
        }
    }

    @Test
    void aShuffledStreamOfRedeliveriesHasExactlyOneEffectPerEventAcrossAReopen() {
        List<CloudEvent> deliveries = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            CloudEvent event = event("strata://shop/order-" + (i % 7), "id-" + i);
            deliveries.add(event);
            if (i % 3 == 0) {
                deliveries.add(event); // at-least-once: some come twice, or three times
                deliveries.add(event);
            }
        }
        Collections.shuffle(deliveries, new Random(1));
        int half = deliveries.size() / 2;
        try (Inbox inbox = open()) {
            for (CloudEvent event : deliveries.subList(0, half)) {
                inbox.deliver(event, (e, writes) -> count(inbox, e, writes));
            }
        }
        try (Inbox inbox = open()) { // the consumer restarted: what it recorded is still there
            for (CloudEvent event : deliveries.subList(half, deliveries.size())) {
                inbox.deliver(event, (e, writes) -> count(inbox, e, writes));
            }
            assertThat(counter(inbox)).isEqualTo(500);
        }
    }

    @Test
    void concurrentRedeliveriesOfTheSameEventsRunEachHandlerOnce() throws Exception {
        try (Inbox inbox = Inbox.open(dir.resolve("inbox"), Duration.ofHours(1))) {
            AtomicInteger runs = new AtomicInteger();
            ExecutorService pool = Executors.newFixedThreadPool(4);
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                futures.add(pool.submit(() -> {
                    for (int i = 0; i < 300; i++) {
                        inbox.deliver(event("strata://shop/s", "id-" + i), (e, w) -> runs.incrementAndGet());
                    }
                }));
            }
            for (Future<?> future : futures) {
                future.get(60, TimeUnit.SECONDS);
            }
            pool.shutdown();
            assertThat(runs).hasValue(300);
        }
    }

    @Test
    void aFailingHandlerRecordsNothingSoTheNextDeliveryRunsItAgain() {
        try (Inbox inbox = open()) {
            CloudEvent event = event("strata://shop/order-1", "e-1");
            assertThatThrownBy(() -> inbox.deliver(event, (e, writes) -> {
                writes.put(COUNTER, new byte[8]);
                throw new IllegalStateException("downstream is down");
            })).hasMessageContaining("downstream is down");
            assertThat(inbox.isHandled(event)).isFalse();
            assertThat(inbox.state(COUNTER)).isEmpty(); // its writes were not committed either
            assertThat(inbox.deliver(event, (e, writes) -> count(inbox, e, writes))).isTrue();
            assertThat(counter(inbox)).isEqualTo(1);
        }
    }

    @Test
    void eventsOlderThanTheRetentionAreForgotten() {
        try (Inbox inbox = open()) {
            CloudEvent old = event("strata://shop/order-1", "old");
            inbox.deliver(old, (e, w) -> { });
            now = now.plus(Duration.ofMinutes(40));
            CloudEvent recent = event("strata://shop/order-1", "recent");
            inbox.deliver(recent, (e, w) -> { });
            now = now.plus(Duration.ofMinutes(30)); // old: 70 min, recent: 30 min
            assertThat(inbox.purgeExpired()).isEqualTo(1);
            assertThat(inbox.isHandled(old)).isFalse();
            assertThat(inbox.isHandled(recent)).isTrue();
            assertThat(inbox.deliver(old, (e, w) -> { })).isTrue(); // past the window: handled again, as documented
        }
    }
}
