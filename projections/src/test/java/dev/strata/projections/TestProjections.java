package dev.strata.projections;

import com.fasterxml.jackson.databind.JsonNode;
import dev.strata.eventstore.AppendResult;
import dev.strata.eventstore.EventData;
import dev.strata.eventstore.EventStore;
import dev.strata.eventstore.ExpectedVersion;
import dev.strata.eventstore.RecordedEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;

/** Projections and event helpers the tests share. */
final class TestProjections {

    private TestProjections() {
    }

    /** The last event seen per stream: an upsert. */
    record LastEvent(String type, long position, long n) {
    }

    /** Events per stream: read-modify-write, so an event applied twice or skipped shows. */
    static Projection<String, Long> countPerStream(String name) {
        return Projection.of(name, KeyCodec.string(), ValueCodec.int64(),
                (event, model) -> model.put(event.stream(), model.get(event.stream()).orElse(0L) + 1));
    }

    static Projection<String, LastEvent> lastEvent(String name) {
        return Projection.of(name, KeyCodec.string(), ValueCodec.json(LastEvent.class),
                (event, model) -> model.put(event.stream(),
                        new LastEvent(event.type(), event.position(), event.data(JsonNode.class).path("n").asLong())));
    }

    /** One hot row counting every event, and a sum of the "n" fields: the worst case for double application. */
    static Projection<String, Long> totals(String name) {
        return Projection.of(name, KeyCodec.string(), ValueCodec.int64(), (event, model) -> {
            model.put("count", model.get("count").orElse(0L) + 1);
            model.put("sum", model.get("sum").orElse(0L) + event.data(JsonNode.class).path("n").asLong());
        });
    }

    /** Counts per stream, throwing on events of type "Poison" while {@code poisoned} is true. */
    static Projection<String, Long> poisonable(String name, AtomicBoolean poisoned) {
        return Projection.of(name, KeyCodec.string(), ValueCodec.int64(), (event, model) -> {
            if (event.type().equals("Poison") && poisoned.get()) {
                throw new IllegalArgumentException("cannot digest " + event.stream() + "@" + event.event().version());
            }
            model.put(event.stream(), model.get(event.stream()).orElse(0L) + 1);
        });
    }

    static long decodeN(RecordedEvent event) {
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper().readTree(event.data()).path("n").asLong();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static EventData event(String type, long n) {
        return EventData.json(type, "{\"n\":" + n + "}");
    }

    /** Appends {@code count} events round-robin over {@code streams} streams named prefix-i; returns the last result. */
    static AppendResult append(EventStore store, String prefix, int streams, int count, long firstN) {
        AppendResult last = null;
        for (int i = 0; i < count; i++) {
            last = store.append(prefix + "-" + (i % streams), ExpectedVersion.any(), event("Counted", firstN + i));
        }
        return last;
    }

    /** What {@link #countPerStream} must hold: the events per stream in the log. */
    static Map<String, Long> expectedCounts(EventStore store) {
        Map<String, Long> counts = new TreeMap<>();
        for (RecordedEvent event : readAll(store)) {
            counts.merge(event.stream(), 1L, Long::sum);
        }
        return counts;
    }

    static List<RecordedEvent> readAll(EventStore store) {
        List<RecordedEvent> all = new ArrayList<>();
        long next = 0;
        while (true) {
            List<RecordedEvent> page = store.readAll(next, 10_000).toList();
            if (page.isEmpty()) {
                return all;
            }
            all.addAll(page);
            next = page.get(page.size() - 1).position() + 1;
        }
    }

    static <K, V> Map<K, V> rows(ReadModel<K, V> model, K from, K to) {
        Map<K, V> rows = new java.util.LinkedHashMap<>();
        for (Row<K, V> row : model.scanRange(from, to, 1_000_000)) {
            rows.put(row.key(), row.value());
        }
        return rows;
    }
}
