package dev.strata.examples.orders.demo;

import dev.strata.eventstore.RecordedEvent;
import dev.strata.examples.orders.demo.ReadModelPhotos.Photo;
import java.io.PrintWriter;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Prints one order's story in log order: each event with its position, stream and version, type and a few words; and,
 * where a photo of the read models was taken, the read models that changed since the previous photo.
 */
final class Timeline {

    private final PrintWriter out;
    private String order;
    private String stock;
    private String counts;

    Timeline(PrintWriter out) {
        this.out = out;
    }

    static String header() {
        return String.format("  %8s  %-36s %-23s %s", "position", "stream@version", "event", "").stripTrailing();
    }

    /** {@code notes}: a remark to print beside an event (by event id). */
    void print(List<RecordedEvent> events, List<Photo> photos, Map<UUID, String> notes) {
        out.println(header());
        Deque<Photo> pending = new ArrayDeque<>(photos);
        for (RecordedEvent event : events) {
            while (!pending.isEmpty() && pending.peek().position() < event.position()) {
                print(pending.pop());
            }
            String note = notes.get(event.id());
            out.printf("  %8d  %-36s %-23s %s%s%n", event.position(), event.stream() + "@" + event.version(), event.type(),
                    EventText.describe(event), note == null ? "" : "   <- " + note);
        }
        while (!pending.isEmpty()) {
            print(pending.pop());
        }
        out.flush();
    }

    private void print(Photo photo) {
        String prefix = String.format("  %8s  read models at position %d: ", "", photo.position());
        String indent = " ".repeat(prefix.length());
        boolean first = true;
        if (!photo.order().equals(order)) {
            out.println((first ? prefix : indent) + "order-list   " + photo.order());
            first = false;
        }
        if (!photo.stock().equals(stock)) {
            out.println((first ? prefix : indent) + "stock-levels " + photo.stock());
            first = false;
        }
        if (!photo.counts().equals(counts)) {
            out.println((first ? prefix : indent) + "order-counts " + photo.counts());
        }
        order = photo.order();
        stock = photo.stock();
        counts = photo.counts();
    }
}
