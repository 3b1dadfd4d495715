package dev.strata.examples.orders.demo;

import dev.strata.relay.EventSink;
import io.cloudevents.CloudEvent;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The relay's sink in the demo: remembers every CloudEvent once it is acknowledged, so the demo can print what was
 * published. Alone, that is all it does (the events go nowhere else); wrapped around a real sink ({@code --kafka}), it
 * remembers what the real sink acknowledged.
 */
public final class PublishedEvents implements EventSink {

    private final EventSink destination;
    private final boolean keep;
    private final PrintWriter out;
    private final List<CloudEvent> published = new ArrayList<>();
    private final AtomicLong count = new AtomicLong();
    private volatile long printFrom = Long.MAX_VALUE;

    private PublishedEvents(EventSink destination, boolean keep, PrintWriter out) {
        this.destination = destination;
        this.keep = keep;
        this.out = out;
    }

    /** Publishes to memory only. */
    public static PublishedEvents inMemory() {
        return new PublishedEvents(null, true, null);
    }

    /** Publishes to {@code destination} and remembers what it acknowledged. */
    public static PublishedEvents recording(EventSink destination) {
        return new PublishedEvents(destination, true, null);
    }

    /** This sink, printing one line per event as it is acknowledged, once {@link #printFrom} says from where. */
    public PublishedEvents printing(PrintWriter lines) {
        return new PublishedEvents(destination, keep, lines);
    }

    /** Print the events at {@code position} and after (not the backlog of a relay that was behind). */
    public void printFrom(long position) {
        this.printFrom = position;
    }

    /** This sink, counting the events instead of keeping them (for long runs). */
    public PublishedEvents countingOnly() {
        return new PublishedEvents(destination, false, out);
    }

    @Override
    public void publish(List<CloudEvent> events) {
        if (destination != null) {
            destination.publish(events); // throws if not acknowledged: then nothing is remembered and the relay retries
        }
        count.addAndGet(events.size());
        if (keep) {
            synchronized (published) {
                published.addAll(events);
            }
        }
        if (out != null) {
            for (CloudEvent event : events) {
                Object position = event.getExtension("position");
                if (position == null || Long.parseLong(position.toString()) < printFrom) {
                    continue;
                }
                out.printf("relay -> %s: %s %s (position %s)%n", describe(), event.getSubject(), event.getType(), event.getExtension("position"));
            }
            out.flush();
        }
    }

    /** Everything acknowledged so far, in publishing order (empty when only counting). */
    public List<CloudEvent> published() {
        synchronized (published) {
            return List.copyOf(published);
        }
    }

    /** How many events were acknowledged so far. */
    public long count() {
        return count.get();
    }

    @Override
    public String describe() {
        return Optional.ofNullable(destination).map(EventSink::describe).orElse("memory");
    }

    @Override
    public void close() {
        if (destination != null) {
            destination.close();
        }
    }
}
