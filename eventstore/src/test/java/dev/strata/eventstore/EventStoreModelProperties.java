package dev.strata.eventstore;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Random sequences of appends (single and multi-stream, random expected versions, retries with the same ids,
 * restarts) against a tiny in-memory model: the store must give the same results and conflicts, versions
 * contiguous from 0, positions dense and increasing, and reads equal to what was appended.
 */
class EventStoreModelProperties {

    private static final String[] STREAMS = {"a-1", "a-2", "b-1", "c-1"};

    enum Expect { ANY, NO_STREAM, EXISTS, EXACT_CURRENT, EXACT_WRONG }

    sealed interface Op {
    }

    record Append(int stream, Expect expect, int events) implements Op {
    }

    record MultiAppend(int first, Expect firstExpect, int second, Expect secondExpect) implements Op {
    }

    record Retry(int which) implements Op {
    }

    record Reopen() implements Op {
    }

    @Provide
    Arbitrary<List<Op>> operations() {
        Arbitrary<Integer> stream = Arbitraries.integers().between(0, STREAMS.length - 1);
        Arbitrary<Expect> expect = Arbitraries.of(Expect.class);
        Arbitrary<Op> append = Combinators.combine(stream, expect, Arbitraries.integers().between(1, 3)).as(Append::new);
        Arbitrary<Op> multi = Combinators.combine(stream, expect, stream, expect).as(MultiAppend::new)
                .filter(op -> op.first() != op.second()).map(op -> (Op) op);
        Arbitrary<Op> retry = Arbitraries.integers().between(0, 1000).map(Retry::new);
        Arbitrary<Op> reopen = Arbitraries.just(new Reopen());
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(6, append), net.jqwik.api.Tuple.of(2, multi),
                net.jqwik.api.Tuple.of(2, retry), net.jqwik.api.Tuple.of(1, reopen))
                .list().ofMinSize(1).ofMaxSize(40);
    }

    /** What the model expects of the store. */
    static final class Model {
        final Map<String, List<EventData>> streams = new HashMap<>();
        final List<RecordedEventShape> log = new ArrayList<>();
        final List<List<AppendRequest>> acknowledged = new ArrayList<>();
        final List<List<AppendResult>> results = new ArrayList<>();

        long version(String stream) {
            List<EventData> events = streams.get(stream);
            return events == null ? StreamVersions.NO_STREAM : events.size() - 1;
        }

        ExpectedVersion expectation(String stream, Expect expect) {
            return switch (expect) {
                case ANY -> ExpectedVersion.any();
                case NO_STREAM -> ExpectedVersion.noStream();
                case EXISTS -> ExpectedVersion.streamExists();
                case EXACT_CURRENT -> ExpectedVersion.exactly(Math.max(0, version(stream)));
                case EXACT_WRONG -> ExpectedVersion.exactly(version(stream) + 2);
            };
        }

        /** The results if every request's expectation holds, else the first conflicting request. */
        Object apply(List<AppendRequest> requests) {
            for (AppendRequest request : requests) {
                if (!request.expectedVersion().matches(version(request.stream()))) {
                    return new WrongExpectedVersionException(request.stream(), request.expectedVersion(), version(request.stream()));
                }
            }
            List<AppendResult> out = new ArrayList<>();
            for (AppendRequest request : requests) {
                List<EventData> events = streams.computeIfAbsent(request.stream(), s -> new ArrayList<>());
                long firstVersion = events.size();
                long firstPosition = log.size();
                for (EventData event : request.events()) {
                    log.add(new RecordedEventShape(request.stream(), events.size(), event));
                    events.add(event);
                }
                out.add(new AppendResult(request.stream(), firstVersion, events.size() - 1, firstPosition, log.size() - 1));
            }
            acknowledged.add(requests);
            results.add(out);
            return out;
        }
    }

    record RecordedEventShape(String stream, long version, EventData event) {
    }

    @Property(tries = 25)
    void theStoreBehavesLikeTheModel(@ForAll("operations") List<Op> operations) throws IOException {
        Path directory = Files.createTempDirectory("strata-model");
        EventStore store = EventStore.builder().directory(directory).durability(Durability.OS).open();
        try {
            Model model = new Model();
            for (Op op : operations) {
                if (op instanceof Reopen) {
                    store.close();
                    store = EventStore.builder().directory(directory).durability(Durability.OS).open();
                } else if (op instanceof Retry retry) {
                    if (!model.acknowledged.isEmpty()) {
                        int which = retry.which() % model.acknowledged.size();
                        assertThat(store.appendAll(model.acknowledged.get(which))).isEqualTo(model.results.get(which));
                    }
                } else if (op instanceof Append append) {
                    String stream = STREAMS[append.stream()];
                    List<EventData> events = Stream.generate(() -> EventData.json("E", "{\"id\":\"" + UUID.randomUUID() + "\"}"))
                            .limit(append.events()).toList();
                    check(store, model, List.of(new AppendRequest(stream, model.expectation(stream, append.expect()), events)));
                } else if (op instanceof MultiAppend multi) {
                    String first = STREAMS[multi.first()];
                    String second = STREAMS[multi.second()];
                    check(store, model, List.of(
                            AppendRequest.of(first, model.expectation(first, multi.firstExpect()), EventData.json("M", "{}")),
                            AppendRequest.of(second, model.expectation(second, multi.secondExpect()), EventData.json("M", "{}"))));
                }
            }
            assertReadsMatch(store, model);
        } finally {
            store.close();
            try (Stream<Path> files = Files.walk(directory)) {
                files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
    }

    private static void check(EventStore store, Model model, List<AppendRequest> requests) {
        Object expected = model.apply(requests);
        Object actual;
        try {
            actual = store.appendAll(requests);
        } catch (WrongExpectedVersionException e) {
            actual = e;
        }
        if (expected instanceof WrongExpectedVersionException conflict) {
            assertThat(actual).isInstanceOfSatisfying(WrongExpectedVersionException.class, e -> {
                assertThat(e.stream()).isEqualTo(conflict.stream());
                assertThat(e.actualVersion()).isEqualTo(conflict.actualVersion());
            });
        } else {
            assertThat(actual).isEqualTo(expected);
        }
    }

    private static void assertReadsMatch(EventStore store, Model model) {
        List<RecordedEvent> all = store.readAll(0, 100_000).toList();
        assertThat(all).hasSize(model.log.size());
        for (int position = 0; position < all.size(); position++) {
            RecordedEvent actual = all.get(position);
            RecordedEventShape expected = model.log.get(position);
            assertThat(actual.position()).isEqualTo(position);
            assertThat(actual.stream()).isEqualTo(expected.stream());
            assertThat(actual.version()).isEqualTo(expected.version());
            assertThat(actual.toEventData()).isEqualTo(expected.event());
        }
        assertThat(store.headPosition()).isEqualTo(model.log.size() - 1);
        for (String stream : STREAMS) {
            List<EventData> expected = model.streams.getOrDefault(stream, List.of());
            List<RecordedEvent> actual = store.readStream(stream, 0, Direction.FORWARD, 100_000).toList();
            assertThat(actual).extracting(RecordedEvent::toEventData).containsExactlyElementsOf(expected);
            for (int v = 0; v < actual.size(); v++) {
                assertThat(actual.get(v).version()).isEqualTo(v);
            }
            assertThat(store.streamVersion(stream).orElse(StreamVersions.NO_STREAM)).isEqualTo(expected.size() - 1L);
        }
    }
}
