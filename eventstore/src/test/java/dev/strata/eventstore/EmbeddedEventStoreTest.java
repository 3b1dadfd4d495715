package dev.strata.eventstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.strata.eventstore.testkit.EventStoreContract;
import dev.strata.eventstore.testkit.LongStreamRange;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The contract suite on the embedded store, plus what only an embedded store can show (restarts, files, locks). */
class EmbeddedEventStoreTest extends EventStoreContract {

    @TempDir
    Path directory;

    @Override
    protected EventStore newStore() {
        return open();
    }

    private EventStore open() {
        return EventStore.builder().directory(directory).durability(Durability.OS).open();
    }

    private EventStore reopen() {
        store.close();
        store = open();
        return store;
    }

    @Test
    void closeAndReopenKeepsEverythingAndContinuesThePositions() {
        List<EventData> first = events(5);
        AppendResult original = store.append("s-1", ExpectedVersion.noStream(), first);
        store.append("t-1", ExpectedVersion.noStream(), events(3));
        List<RecordedEvent> before = store.readAll(0, 100).toList();

        reopen();

        assertThat(store.readAll(0, 100).toList()).isEqualTo(before);
        assertThat(store.streamVersion("s-1")).hasValue(4);
        assertThat(store.append("s-1", ExpectedVersion.exactly(4), event("Next")).lastPosition()).isEqualTo(8);
        assertThat(store.append("s-1", ExpectedVersion.noStream(), first)).as("a retry after a restart").isEqualTo(original);
        assertThat(store.headPosition()).isEqualTo(8);
    }

    @Test
    void deletingTheIndexRebuildsItFromTheLogWithTheSameResults() throws Exception {
        for (int i = 0; i < 400; i++) {
            store.append("s-" + (i % 13), ExpectedVersion.any(), events(1 + i % 3));
        }
        List<RecordedEvent> stream = store.readStream("s-7", 0, Direction.FORWARD, 10_000).toList();
        List<RecordedEvent> category = store.readCategory("s", 100, 10_000).toList();
        store.close();
        try (Stream<Path> files = Files.walk(directory.resolve("index"))) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }

        store = open();

        assertThat(store.readStream("s-7", 0, Direction.FORWARD, 10_000).toList()).isEqualTo(stream);
        assertThat(store.readCategory("s", 100, 10_000).toList()).isEqualTo(category);
        assertThat(store.readAll(500, 10).map(RecordedEvent::position).toList()).containsExactlyElementsOf(LongStreamRange.of(500, 510));
    }

    @Test
    void aSubscriptionResumesAfterARestartFromTheNextPosition() {
        store.append("s-1", ExpectedVersion.any(), events(10));
        Recorder first = new Recorder();
        try (Subscription subscription = store.subscribeToAll(0, first)) {
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> first.events.size() == 10);
        }
        long resumeAt = first.events.get(first.events.size() - 1).position() + 1;
        reopen();
        store.append("s-1", ExpectedVersion.any(), events(5));

        Recorder second = new Recorder();
        try (Subscription subscription = store.subscribeToAll(resumeAt, second)) {
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> second.events.size() == 5);
        }
        assertThat(positions(second.events)).containsExactlyElementsOf(LongStreamRange.of(10, 15));
    }

    @Test
    void closingTheStoreStopsSubscriptionsAndRefusesCalls() {
        CompletableFuture<Throwable> stopped = new CompletableFuture<>();
        store.subscribeToAll(0, new SubscriptionListener() {
            @Override
            public void onEvent(RecordedEvent event) {
            }

            @Override
            public void onStopped(Throwable cause) {
                stopped.complete(cause);
            }
        });
        store.close();

        assertThat(stopped).succeedsWithin(Duration.ofSeconds(10)).isInstanceOf(StoreClosedException.class);
        assertThatThrownBy(() -> store.append("s-1", ExpectedVersion.any(), event("A"))).isInstanceOf(StoreClosedException.class);
        assertThatThrownBy(() -> store.readAll(0, 1)).isInstanceOf(StoreClosedException.class);
        store = null;
    }

    @Test
    void aSecondWriterOnTheSameFolderIsRefused() {
        assertThatThrownBy(this::open)
                .isInstanceOf(StorageException.class)
                .hasMessageContaining("open for writing by another process");
    }

    @Test
    void systemStreamsTakeAppendsOnlyThroughTheSystemAppender() {
        AppendResult result = store.systemAppender().append("$saga-1", ExpectedVersion.noStream(), event("Started"));

        assertThat(result.lastVersion()).isEqualTo(0);
        assertThat(store.readStream("$saga-1", 0, Direction.FORWARD, 10).toList()).hasSize(1);
        assertThatThrownBy(() -> store.systemAppender().append("saga-1", ExpectedVersion.any(), event("A")))
                .isInstanceOf(ValidationException.class);
    }

    @Test
    void appendingFromTheWritersOwnThreadFailsFastInsteadOfDeadlocking() {
        CompletableFuture<Throwable> failure = store.appendAsync("s-1", ExpectedVersion.any(), List.of(event("A")))
                .handle((result, error) -> {
                    try {
                        store.append("s-1", ExpectedVersion.any(), event("B"));
                        return null;
                    } catch (IllegalStateException e) {
                        return e;
                    }
                });
        assertThat(failure).succeedsWithin(Duration.ofSeconds(10)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void fsyncDurabilityAppendsAndReadsLikeOs() {
        store.close();
        store = EventStore.builder().directory(directory.resolve("fsync")).durability(Durability.FSYNC).open();
        store.append("s-1", ExpectedVersion.noStream(), events(3));
        assertThat(store.readAll(0, 10).count()).isEqualTo(3);
    }

    @Test
    void builderSettingsAreValidatedByName() {
        assertThatThrownBy(() -> EventStore.builder().open())
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.field()).isEqualTo("directory"));
        assertThatThrownBy(() -> EventStore.builder().directory(directory).maxEventSize(0).open())
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.getMessage()).isEqualTo("maxEventSize must be > 0 but was 0"));
        assertThatThrownBy(() -> EventStore.builder().directory(directory).ringSize(1000).open())
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.field()).isEqualTo("ringSize"));
    }
}
