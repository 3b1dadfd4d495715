package dev.strata.projections.internal;

import dev.strata.eventstore.EventReader;
import dev.strata.eventstore.RecordedEvent;
import java.util.Iterator;
import java.util.function.Consumer;
import java.util.stream.Stream;

/** Finite reads of the global log for the projectors' own catching up (a gap, a parked event). */
final class LogReader {

    private static final int PAGE = 4096;

    private LogReader() {
    }

    /** Every stored event from {@code from} to {@code to} (both inclusive), in order; stops early at the log's end. */
    static void read(EventReader store, long from, long to, Consumer<RecordedEvent> consumer) {
        long next = from;
        while (next <= to) {
            int limit = (int) Math.min(PAGE, to - next + 1);
            long before = next;
            try (Stream<RecordedEvent> page = store.readAll(next, limit)) {
                Iterator<RecordedEvent> events = page.iterator();
                while (events.hasNext()) {
                    RecordedEvent event = events.next();
                    consumer.accept(event);
                    next = event.position() + 1;
                }
            }
            if (next == before) {
                return;
            }
        }
    }

    /** The event at {@code position}, or null if the log does not hold it. */
    static RecordedEvent readOne(EventReader store, long position) {
        try (Stream<RecordedEvent> page = store.readAll(position, 1)) {
            return page.findFirst().filter(event -> event.position() == position).orElse(null);
        }
    }
}
