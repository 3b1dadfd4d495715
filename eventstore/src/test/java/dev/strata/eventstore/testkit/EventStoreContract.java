package dev.strata.eventstore.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.strata.eventstore.AppendRequest;
import dev.strata.eventstore.AppendResult;
import dev.strata.eventstore.Direction;
import dev.strata.eventstore.DuplicateEventIdException;
import dev.strata.eventstore.EventData;
import dev.strata.eventstore.EventStore;
import dev.strata.eventstore.ExpectedVersion;
import dev.strata.eventstore.Metadata;
import dev.strata.eventstore.RecordedEvent;
import dev.strata.eventstore.StreamVersions;
import dev.strata.eventstore.Subscription;
import dev.strata.eventstore.SubscriptionListener;
import dev.strata.eventstore.ValidationException;
import dev.strata.eventstore.WrongExpectedVersionException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.IntStream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link EventStore} implementation must show (embedded, remote over HTTP). A subclass
 * supplies a fresh, empty store per test.
 */
public abstract class EventStoreContract {

    protected EventStore store;

    /** A new, empty store; closed by the suite after each test. */
    protected abstract EventStore newStore() throws Exception;

    @BeforeEach
    void openStore() throws Exception {
        store = newStore();
    }

    @AfterEach
    void closeStore() {
        if (store != null) {
            store.close();
        }
    }

    protected static EventData event(String type) {
        return EventData.json(type, "{\"n\":\"" + UUID.randomUUID() + "\"}");
    }

    protected static List<EventData> events(int count) {
        return IntStream.range(0, count).mapToObj(i -> event("E" + i)).toList();
    }

    // ------------------------------------------------------------- appends

    @Test
    void firstAppendCreatesTheStreamAtVersionZeroAndPositionZero() {
        AppendResult result = store.append("order-1", ExpectedVersion.noStream(), events(3));

        assertThat(result).isEqualTo(new AppendResult("order-1", 0, 2, 0, 2));
        assertThat(store.headPosition()).isEqualTo(2);
        assertThat(store.streamVersion("order-1")).hasValue(2);
    }

    @Test
    void positionsAreDenseAcrossStreamsAndVersionsContiguousPerStream() {
        store.append("a-1", ExpectedVersion.any(), events(2));
        store.append("b-1", ExpectedVersion.any(), events(1));
        AppendResult third = store.append("a-1", ExpectedVersion.any(), events(2));

        assertThat(third).isEqualTo(new AppendResult("a-1", 2, 3, 3, 4));
        assertThat(store.readAll(0, 100).map(RecordedEvent::position).toList()).containsExactly(0L, 1L, 2L, 3L, 4L);
        assertThat(store.readStream("a-1", 0, Direction.FORWARD, 100).map(RecordedEvent::version).toList())
                .containsExactly(0L, 1L, 2L, 3L);
    }

    @Test
    void readBackEqualsWhatWasAppended() {
        Metadata metadata = Metadata.empty()
                .with(Metadata.CORRELATION_ID, "c-1")
                .with(Metadata.CAUSATION_ID, "k-1")
                .with(Metadata.TRACEPARENT, "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")
                .with("tenant", "acme ünïcødé");
        EventData json = new EventData(UUID.randomUUID(), "OrderPlaced", EventData.JSON, metadata,
                "{\"item\":\"widget\",\"price\":42}".getBytes(StandardCharsets.UTF_8));
        EventData binary = new EventData(UUID.randomUUID(), "Blob", "application/octet-stream", Metadata.empty(),
                new byte[] {0, 1, 2, (byte) 0xff});
        EventData empty = new EventData(UUID.randomUUID(), "Nothing", EventData.JSON, Metadata.empty(), new byte[0]);
        store.append("order-9", ExpectedVersion.noStream(), json, binary, empty);

        List<RecordedEvent> read = store.readStream("order-9", 0, Direction.FORWARD, 10).toList();

        assertThat(read).extracting(RecordedEvent::toEventData).containsExactly(json, binary, empty);
        assertThat(read).allSatisfy(e -> {
            assertThat(e.stream()).isEqualTo("order-9");
            assertThat(e.timestamp()).isNotNull();
        });
        assertThat(read.get(0).metadata().correlationId()).hasValue("c-1");
        assertThat(read.get(0).category()).isEqualTo("order");
    }

    @Test
    void expectedVersionAnyAlwaysAppends() {
        store.append("s-1", ExpectedVersion.any(), event("A"));
        AppendResult second = store.append("s-1", ExpectedVersion.any(), event("B"));
        assertThat(second.lastVersion()).isEqualTo(1);
    }

    @Test
    void expectedVersionNoStreamRefusesAnExistingStream() {
        store.append("s-1", ExpectedVersion.noStream(), event("A"));

        assertThatThrownBy(() -> store.append("s-1", ExpectedVersion.noStream(), event("B")))
                .isInstanceOfSatisfying(WrongExpectedVersionException.class, e -> {
                    assertThat(e.stream()).isEqualTo("s-1");
                    assertThat(e.actualVersion()).isEqualTo(0);
                });
        assertThat(store.headPosition()).isEqualTo(0);
    }

    @Test
    void expectedVersionStreamExistsRefusesAMissingStream() {
        assertThatThrownBy(() -> store.append("s-1", ExpectedVersion.streamExists(), event("A")))
                .isInstanceOfSatisfying(WrongExpectedVersionException.class,
                        e -> assertThat(e.actualVersion()).isEqualTo(StreamVersions.NO_STREAM));
        store.append("s-1", ExpectedVersion.noStream(), event("A"));
        assertThat(store.append("s-1", ExpectedVersion.streamExists(), event("B")).lastVersion()).isEqualTo(1);
    }

    @Test
    void exactExpectedVersionMustMatchTheLastVersion() {
        store.append("s-1", ExpectedVersion.noStream(), events(3));

        assertThatThrownBy(() -> store.append("s-1", ExpectedVersion.exactly(1), event("X")))
                .isInstanceOfSatisfying(WrongExpectedVersionException.class, e -> assertThat(e.actualVersion()).isEqualTo(2));
        assertThatThrownBy(() -> store.append("s-2", ExpectedVersion.exactly(0), event("X")))
                .isInstanceOfSatisfying(WrongExpectedVersionException.class,
                        e -> assertThat(e.actualVersion()).isEqualTo(StreamVersions.NO_STREAM));
        assertThat(store.append("s-1", ExpectedVersion.exactly(2), event("Y")).lastVersion()).isEqualTo(3);
        assertThat(store.headPosition()).isEqualTo(3);
    }

    @Test
    void multiStreamAppendIsAtomic() {
        store.append("order-1", ExpectedVersion.noStream(), event("Placed"));

        List<AppendResult> results = store.appendAll(List.of(
                AppendRequest.of("order-1", ExpectedVersion.exactly(0), event("Paid")),
                AppendRequest.of("payment-1", ExpectedVersion.noStream(), event("Captured"), event("Settled"))));

        assertThat(results).containsExactly(
                new AppendResult("order-1", 1, 1, 1, 1),
                new AppendResult("payment-1", 0, 1, 2, 3));
    }

    @Test
    void multiStreamAppendWithOneConflictWritesNothing() {
        store.append("order-1", ExpectedVersion.noStream(), event("Placed"));

        assertThatThrownBy(() -> store.appendAll(List.of(
                AppendRequest.of("payment-1", ExpectedVersion.noStream(), event("Captured")),
                AppendRequest.of("order-1", ExpectedVersion.exactly(5), event("Paid")))))
                .isInstanceOf(WrongExpectedVersionException.class);

        assertThat(store.headPosition()).isEqualTo(0);
        assertThat(store.streamVersion("payment-1")).isEmpty();
    }

    // ------------------------------------------------------------- idempotence

    @Test
    void retryingAnAppendReturnsTheOriginalResultAndWritesNothing() {
        List<EventData> batch = events(3);
        AppendResult original = store.append("s-1", ExpectedVersion.noStream(), batch);
        store.append("s-1", ExpectedVersion.exactly(2), event("Later"));

        AppendResult retry = store.append("s-1", ExpectedVersion.noStream(), batch); // stale expectation: still a retry

        assertThat(retry).isEqualTo(original);
        assertThat(store.headPosition()).isEqualTo(3);
    }

    @Test
    void retryingAMultiStreamAppendReturnsTheOriginalResults() {
        List<AppendRequest> requests = List.of(
                AppendRequest.of("a-1", ExpectedVersion.noStream(), event("A")),
                AppendRequest.of("b-1", ExpectedVersion.noStream(), event("B")));
        List<AppendResult> original = store.appendAll(requests);

        assertThat(store.appendAll(requests)).isEqualTo(original);
        assertThat(store.headPosition()).isEqualTo(1);
    }

    @Test
    void anIdReusedInAnotherStreamIsAnError() {
        EventData event = event("A");
        store.append("s-1", ExpectedVersion.any(), event);

        assertThatThrownBy(() -> store.append("s-2", ExpectedVersion.any(), event))
                .isInstanceOfSatisfying(DuplicateEventIdException.class, e -> {
                    assertThat(e.eventId()).isEqualTo(event.id());
                    assertThat(e.storedStream()).isEqualTo("s-1");
                });
        assertThat(store.streamVersion("s-2")).isEmpty();
    }

    @Test
    void anIdReusedWithOtherContentIsAnError() {
        EventData event = event("A");
        store.append("s-1", ExpectedVersion.any(), event);

        assertThatThrownBy(() -> store.append("s-1", ExpectedVersion.any(), EventData.json("A", "{\"other\":1}").withId(event.id())))
                .isInstanceOf(DuplicateEventIdException.class);
        assertThat(store.headPosition()).isEqualTo(0);
    }

    @Test
    void aPartialRetryIsAnError() {
        List<EventData> batch = events(2);
        store.append("s-1", ExpectedVersion.any(), batch);

        assertThatThrownBy(() -> store.append("s-1", ExpectedVersion.any(), batch.get(0)))
                .isInstanceOf(DuplicateEventIdException.class);
        assertThatThrownBy(() -> store.append("s-1", ExpectedVersion.any(), batch.get(0), batch.get(1), event("New")))
                .isInstanceOf(DuplicateEventIdException.class);
        assertThat(store.headPosition()).isEqualTo(1);
    }

    // ------------------------------------------------------------- reads

    @Test
    void readsAStreamForwardAndBackwardFromAnyVersionWithALimit() {
        for (int i = 0; i < 10; i++) {
            store.append("s-1", ExpectedVersion.any(), event("E" + i));
            store.append("noise-" + i, ExpectedVersion.any(), event("N"));
        }

        assertThat(versions(store.readStream("s-1", 3, Direction.FORWARD, 4).toList())).containsExactly(3L, 4L, 5L, 6L);
        assertThat(versions(store.readStream("s-1", 8, Direction.FORWARD, 100).toList())).containsExactly(8L, 9L);
        assertThat(versions(store.readStream("s-1", 5, Direction.BACKWARD, 3).toList())).containsExactly(5L, 4L, 3L);
        assertThat(versions(store.readStream("s-1", StreamVersions.END, Direction.BACKWARD, 2).toList())).containsExactly(9L, 8L);
        assertThat(store.readStream("s-1", 10, Direction.FORWARD, 10).toList()).isEmpty();
        assertThat(store.readStream("missing-1", 0, Direction.FORWARD, 10).toList()).isEmpty();
        assertThat(store.streamVersion("missing-1")).isEmpty();
    }

    @Test
    void readsLongStreamsAcrossPages() {
        for (int i = 0; i < 12; i++) {
            store.append("s-1", ExpectedVersion.any(), events(100));
        }
        assertThat(versions(store.readStream("s-1", 0, Direction.FORWARD, 5000).toList()))
                .containsExactlyElementsOf(LongStreamRange.of(0, 1200));
        assertThat(versions(store.readStream("s-1", 1199, Direction.BACKWARD, 5000).toList()))
                .containsExactlyElementsOf(LongStreamRange.reversed(0, 1200));
        assertThat(store.readAll(0, 5000).count()).isEqualTo(1200);
        assertThat(store.readAll(550, 1000).map(RecordedEvent::position).toList())
                .containsExactlyElementsOf(LongStreamRange.of(550, 1200));
    }

    @Test
    void readsTheGlobalLogAndCategoriesFromAPosition() {
        store.append("order-1", ExpectedVersion.any(), events(2));     // 0, 1
        store.append("payment-1", ExpectedVersion.any(), events(1));   // 2
        store.append("order-2", ExpectedVersion.any(), events(2));     // 3, 4
        store.appendAll(List.of(AppendRequest.of("order-3", ExpectedVersion.any(), event("X")),     // 5
                AppendRequest.of("payment-2", ExpectedVersion.any(), event("Y"))));                  // 6

        assertThat(positions(store.readAll(1, 3).toList())).containsExactly(1L, 2L, 3L);
        assertThat(positions(store.readAll(6, 10).toList())).containsExactly(6L);
        assertThat(store.readAll(7, 10).toList()).isEmpty();
        assertThat(positions(store.readCategory("order", 0, 100).toList())).containsExactly(0L, 1L, 3L, 4L, 5L);
        assertThat(positions(store.readCategory("order", 4, 100).toList())).containsExactly(4L, 5L);
        assertThat(positions(store.readCategory("payment", 0, 1).toList())).containsExactly(2L);
        assertThat(store.readCategory("shipping", 0, 10).toList()).isEmpty();
    }

    @Test
    void anAppendIsVisibleToReadsAsSoonAsItIsAcknowledged() {
        for (int i = 0; i < 50; i++) {
            AppendResult result = store.append("s-" + (i % 3), ExpectedVersion.any(), event("E"));
            assertThat(store.readStream("s-" + (i % 3), result.lastVersion(), Direction.FORWARD, 1).toList()).hasSize(1);
            assertThat(store.readCategory("s", result.lastPosition(), 1).toList()).hasSize(1);
            assertThat(store.readAll(result.lastPosition(), 1).toList()).hasSize(1);
        }
    }

    // ------------------------------------------------------------- subscriptions

    @Test
    void subscriptionToAllCatchesUpThenGoesLiveWithoutGapOrDuplicate() throws Exception {
        for (int i = 0; i < 300; i++) {
            store.append("s-" + (i % 7), ExpectedVersion.any(), event("E"));
        }
        Recorder recorder = new Recorder();
        try (Subscription subscription = store.subscribeToAll(0, recorder)) {
            appendConcurrently(4, 100);
            long head = store.headPosition();
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> recorder.lastPosition() == head);
            assertThat(recorder.live).isTrue();
            assertThat(subscription.isLive()).isTrue();
        }
        assertThat(recorder.positions()).containsExactlyElementsOf(LongStreamRange.of(0, 700));
    }

    @Test
    void subscriptionToACategoryDeliversOnlyItsEventsInOrder() throws Exception {
        store.append("order-1", ExpectedVersion.any(), events(5));
        store.append("other-1", ExpectedVersion.any(), events(5));
        Recorder recorder = new Recorder();
        try (Subscription ignored = store.subscribeToCategory("order", 2, recorder)) {
            for (int i = 0; i < 50; i++) {
                store.append(i % 2 == 0 ? "order-" + i : "other-" + i, ExpectedVersion.any(), events(2));
            }
            Awaitility.await().atMost(Duration.ofSeconds(30))
                    .failFast(() -> recorder.stopped.get())
                    .untilAsserted(() -> assertThat(recorder.events).hasSize(3 + 50));
        }
        assertThat(recorder.events).allSatisfy(e -> assertThat(e.category()).isEqualTo("order"));
        assertThat(recorder.positions()).isSorted().doesNotHaveDuplicates();
        assertThat(recorder.positions().get(0)).isEqualTo(2L);
    }

    @Test
    void subscriptionToAStreamStartsFromAVersionAndFollowsIt() throws Exception {
        store.append("s-1", ExpectedVersion.any(), events(4));
        Recorder recorder = new Recorder();
        try (Subscription ignored = store.subscribeToStream("s-1", 2, recorder)) {
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> recorder.live);
            store.append("s-2", ExpectedVersion.any(), events(3));
            store.append("s-1", ExpectedVersion.any(), events(3));
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> recorder.events.size() == 5);
        }
        assertThat(versions(recorder.events)).containsExactly(2L, 3L, 4L, 5L, 6L);
    }

    @Test
    void aSubscriptionToAStreamThatDoesNotExistYetWaitsForIt() throws Exception {
        Recorder recorder = new Recorder();
        try (Subscription ignored = store.subscribeToStream("later-1", 0, recorder)) {
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> recorder.live);
            store.append("later-1", ExpectedVersion.noStream(), events(2));
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> recorder.events.size() == 2);
        }
    }

    @Test
    void aListenerThatThrowsStopsItsSubscriptionAndHearsWhy() {
        store.append("s-1", ExpectedVersion.any(), events(3));
        CopyOnWriteArrayList<Throwable> stopped = new CopyOnWriteArrayList<>();
        Subscription subscription = store.subscribeToAll(0, new SubscriptionListener() {
            @Override
            public void onEvent(RecordedEvent event) {
                if (event.position() == 1) {
                    throw new IllegalStateException("boom at 1");
                }
            }

            @Override
            public void onStopped(Throwable cause) {
                stopped.add(cause);
            }
        });
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> !subscription.isRunning());
        assertThat(stopped).singleElement().satisfies(t -> assertThat(t).hasMessage("boom at 1"));
        assertThat(subscription.lastPosition()).isEqualTo(0);
    }

    // ------------------------------------------------------------- concurrency

    @Test
    void exactlyOneWriterWinsEachVersionOfAContendedStream() throws Exception {
        int threads = 8;
        int attemptsPerThread = 60;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<List<AppendResult>>> futures = new ArrayList<>();
        CountDownLatch start = new CountDownLatch(1);
        for (int t = 0; t < threads; t++) {
            futures.add(pool.submit(() -> {
                start.await();
                List<AppendResult> won = new ArrayList<>();
                for (int i = 0; i < attemptsPerThread; i++) {
                    long expected = store.streamVersion("hot-1").orElse(StreamVersions.NO_STREAM);
                    ExpectedVersion expectation = expected < 0 ? ExpectedVersion.noStream() : ExpectedVersion.exactly(expected);
                    try {
                        won.add(store.append("hot-1", expectation, event("T")));
                    } catch (WrongExpectedVersionException lost) {
                        assertThat(lost.actualVersion()).isGreaterThan(expected);
                    }
                }
                return won;
            }));
        }
        start.countDown();
        List<AppendResult> wins = new ArrayList<>();
        for (Future<List<AppendResult>> future : futures) {
            wins.addAll(future.get(60, TimeUnit.SECONDS));
        }
        pool.shutdown();

        List<Long> wonVersions = new ArrayList<>(wins.stream().map(AppendResult::lastVersion).toList());
        Collections.sort(wonVersions);
        long last = store.streamVersion("hot-1").orElseThrow();
        assertThat(wonVersions).containsExactlyElementsOf(LongStreamRange.of(0, last + 1));
        assertThat(versions(store.readStream("hot-1", 0, Direction.FORWARD, 10_000).toList()))
                .containsExactlyElementsOf(LongStreamRange.of(0, last + 1));
    }

    @Test
    void concurrentAppendersGetDenseDistinctPositions() throws Exception {
        List<AppendResult> results = appendConcurrently(6, 200);

        List<Long> positions = new ArrayList<>(results.stream().map(AppendResult::lastPosition).toList());
        Collections.sort(positions);
        assertThat(positions).containsExactlyElementsOf(LongStreamRange.of(0, 1200));
        assertThat(positions(store.readAll(0, 5000).toList())).containsExactlyElementsOf(LongStreamRange.of(0, 1200));
    }

    // ------------------------------------------------------------- bad input

    @Test
    void invalidStreamNamesAreRefusedAndNothingIsWritten() {
        for (String bad : new String[] {"", "-x", "a/b", "a b", "a\u0000b", "a%2Fb", "..", "x".repeat(201), "ünï"}) {
            assertThatThrownBy(() -> store.append(bad, ExpectedVersion.any(), event("A")))
                    .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.field()).isEqualTo("stream"));
        }
        assertThatThrownBy(() -> store.append(null, ExpectedVersion.any(), event("A"))).isInstanceOf(ValidationException.class);
        assertThatThrownBy(() -> store.append("$system", ExpectedVersion.any(), event("A")))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("reserved");
        assertThat(store.headPosition()).isEqualTo(StreamVersions.NO_POSITION);
    }

    @Test
    void emptyAndNullAppendsAreRefused() {
        assertThatThrownBy(() -> store.append("s-1", ExpectedVersion.any(), List.of()))
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.field()).isEqualTo("events"));
        assertThatThrownBy(() -> store.append("s-1", null, event("A"))).isInstanceOf(ValidationException.class);
        assertThatThrownBy(() -> store.appendAll(List.of())).isInstanceOf(ValidationException.class);
        assertThatThrownBy(() -> store.append("s-1", ExpectedVersion.any(), Collections.singletonList(null)))
                .isInstanceOf(ValidationException.class);
        assertThatThrownBy(() -> ExpectedVersion.exactly(-1))
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.field()).isEqualTo("expectedVersion"));
        assertThat(store.headPosition()).isEqualTo(StreamVersions.NO_POSITION);
    }

    @Test
    void anEventOverTheSizeLimitIsRefused() {
        EventData big = new EventData(UUID.randomUUID(), "Big", "application/octet-stream", Metadata.empty(), new byte[(1 << 20) + 1]);

        assertThatThrownBy(() -> store.append("s-1", ExpectedVersion.any(), big))
                .isInstanceOfSatisfying(ValidationException.class, e -> {
                    assertThat(e.field()).isEqualTo("event.data");
                    assertThat(e.getMessage()).contains("1048577 bytes").contains("1048576");
                });
        assertThat(store.headPosition()).isEqualTo(StreamVersions.NO_POSITION);
    }

    @Test
    void duplicateIdsWithinOneAppendAreRefused() {
        EventData event = event("A");
        assertThatThrownBy(() -> store.append("s-1", ExpectedVersion.any(), event, event))
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.field()).isEqualTo("event.id"));
        assertThatThrownBy(() -> store.appendAll(List.of(
                AppendRequest.of("s-1", ExpectedVersion.any(), event),
                AppendRequest.of("s-2", ExpectedVersion.any(), event))))
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.field()).isEqualTo("event.id"));
        assertThat(store.headPosition()).isEqualTo(StreamVersions.NO_POSITION);
    }

    @Test
    void aStreamNamedTwiceInAMultiStreamAppendIsRefused() {
        assertThatThrownBy(() -> store.appendAll(List.of(
                AppendRequest.of("s-1", ExpectedVersion.any(), event("A")),
                AppendRequest.of("s-1", ExpectedVersion.any(), event("B")))))
                .isInstanceOf(ValidationException.class);
    }

    @Test
    void badReadArgumentsAreRefused() {
        assertThatThrownBy(() -> store.readStream("s-1", -1, Direction.FORWARD, 10)).isInstanceOf(ValidationException.class);
        assertThatThrownBy(() -> store.readStream("s-1", 0, Direction.FORWARD, 0)).isInstanceOf(ValidationException.class);
        assertThatThrownBy(() -> store.readAll(-5, 10)).isInstanceOf(ValidationException.class);
        assertThatThrownBy(() -> store.readCategory("a-b", 0, 10)).isInstanceOf(ValidationException.class);
        assertThatThrownBy(() -> store.subscribeToAll(-1, e -> { })).isInstanceOf(ValidationException.class);
    }

    @Test
    void invalidEventFieldsAreRefusedWhereTheEventIsBuilt() {
        assertThatThrownBy(() -> new EventData(null, "A", EventData.JSON, Metadata.empty(), new byte[0]))
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.field()).isEqualTo("event.id"));
        assertThatThrownBy(() -> EventData.json("", "{}")).isInstanceOf(ValidationException.class);
        assertThatThrownBy(() -> EventData.json("A", "{}").withContentType("nonsense")).isInstanceOf(ValidationException.class);
        assertThatThrownBy(() -> Metadata.of(Map.of("Bad-Key", "x"))).isInstanceOf(ValidationException.class);
        assertThatThrownBy(() -> Metadata.of(Map.of("position", "1"))).isInstanceOf(ValidationException.class);
    }

    @Test
    void theStoreKeepsServingAfterBadInput() {
        assertThatThrownBy(() -> store.append("a/b", ExpectedVersion.any(), event("A"))).isInstanceOf(ValidationException.class);
        assertThatThrownBy(() -> store.append("s-1", ExpectedVersion.exactly(3), event("A"))).isInstanceOf(WrongExpectedVersionException.class);
        assertThat(store.append("s-1", ExpectedVersion.noStream(), event("A")).lastPosition()).isEqualTo(0);
    }

    // ------------------------------------------------------------- helpers

    protected List<AppendResult> appendConcurrently(int threads, int appendsPerThread) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<List<AppendResult>>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                futures.add(pool.submit(() -> {
                    List<AppendResult> results = new ArrayList<>();
                    for (int i = 0; i < appendsPerThread; i++) {
                        results.add(store.append("c" + thread + "-" + (i % 5), ExpectedVersion.any(), event("C")));
                    }
                    return results;
                }));
            }
            List<AppendResult> all = new ArrayList<>();
            for (Future<List<AppendResult>> future : futures) {
                all.addAll(future.get(120, TimeUnit.SECONDS));
            }
            return all;
        } finally {
            pool.shutdown();
        }
    }

    protected static List<Long> versions(List<RecordedEvent> events) {
        return events.stream().map(RecordedEvent::version).toList();
    }

    protected static List<Long> positions(List<RecordedEvent> events) {
        return events.stream().map(RecordedEvent::position).toList();
    }

    /** Records a subscription's deliveries. */
    public static final class Recorder implements SubscriptionListener {
        public final CopyOnWriteArrayList<RecordedEvent> events = new CopyOnWriteArrayList<>();
        public volatile boolean live;
        public final AtomicBoolean stopped = new AtomicBoolean();

        @Override
        public void onEvent(RecordedEvent event) {
            events.add(event);
        }

        @Override
        public void onLive() {
            live = true;
        }

        @Override
        public void onStopped(Throwable cause) {
            stopped.set(true);
        }

        public long lastPosition() {
            return events.isEmpty() ? -1 : events.get(events.size() - 1).position();
        }

        public List<Long> positions() {
            return EventStoreContract.positions(events);
        }
    }
}
