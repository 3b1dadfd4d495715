package dev.strata.server.internal;

import dev.strata.eventstore.Direction;
import dev.strata.eventstore.RecordedEvent;
import dev.strata.eventstore.StoreClosedException;
import dev.strata.eventstore.StreamVersions;
import dev.strata.eventstore.remote.ProblemType;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.IteratingCallback;
import org.eclipse.jetty.util.component.Graceful;

/**
 * Server-Sent Events subscriptions: {@code GET /all}, {@code /categories/{c}} or {@code /streams/{s}} with
 * {@code Accept: text/event-stream}. Each event is a frame {@code id: <position>}, {@code event: <type>},
 * {@code data: <the CloudEvent as one line of JSON>}; a comment {@code : live} says the subscription has caught up,
 * {@code : heartbeat} comes after {@code heartbeat} of silence. {@code Last-Event-ID} (a position) resumes after that
 * position; otherwise {@code from} says where to start (a position, or a version for a stream), 0 by default.
 *
 * <h2>Memory and slow clients</h2>
 * A subscription is pulled, never pushed: it reads one page of the log (at most {@value #PAGE_EVENTS} events or about
 * {@value #PAGE_BYTES} bytes), writes it, and reads the next page only when that write has completed. The log is the
 * buffer, so a client that reads slowly only slows its own subscription, and one that stops reading holds one page
 * until the connection's idle timeout fails the pending write and ends it. Writers never wait for subscribers.
 *
 * <h2>Threads</h2>
 * Reading a page may touch the disk, so it runs on the server's pool (the write callbacks declare themselves
 * blocking). A caught-up subscription parks without a thread; an acknowledged append ({@link #onAppended}), or the
 * {@link #tick()} every few milliseconds (batched wake-ups, heartbeats, appends made some other way), wakes it.
 *
 * <h2>Stopping</h2>
 * {@link #shutdown()} (Jetty calls it on a graceful stop) ends every stream with a clean last chunk, after the write
 * in flight if there is one, so clients see a normal end of stream and reconnect elsewhere or later.
 */
public final class Subscriptions implements Graceful {

    /** How often {@link #tick()} should run. */
    public static final long TICK_MILLIS = 5;
    static final long BATCH_NANOS = TimeUnit.MILLISECONDS.toNanos(TICK_MILLIS);
    static final int PAGE_EVENTS = 256;
    static final int PAGE_BYTES = 64 << 10;
    private static final ByteBuffer LIVE = ByteBuffer.wrap(": live\n\n".getBytes(StandardCharsets.US_ASCII)).asReadOnlyBuffer();
    private static final ByteBuffer HEARTBEAT = ByteBuffer.wrap(": heartbeat\n\n".getBytes(StandardCharsets.US_ASCII)).asReadOnlyBuffer();

    private final ApiContext context;
    private final long heartbeatNanos;
    private final Set<EventStream> open = ConcurrentHashMap.newKeySet();
    private final Set<EventStream> parked = ConcurrentHashMap.newKeySet();
    private final CompletableFuture<Void> allEnded = new CompletableFuture<>();
    private volatile boolean stopping;

    public Subscriptions(ApiContext context) {
        this.context = context;
        this.heartbeatNanos = context.limits().heartbeat().toNanos();
        context.metrics().subscriptionGauges(open::size, this::maxLag);
    }

    /** Starts a subscription for a {@code GET} with {@code Accept: text/event-stream}. */
    void subscribe(Request request, Response response, Callback callback, Route route, String name) {
        QueryParameters query = QueryParameters.parse(request.getHttpURI().getQuery(), java.util.Set.of("from"));
        long from = query.nonNegative("from", 0);
        String lastEventId = request.getHeaders().get("Last-Event-ID");
        long resumeAfter = lastEventId == null || lastEventId.isBlank() ? -1
                : QueryParameters.parseNonNegative("Last-Event-ID", lastEventId.strip());
        if (stopping) {
            throw new HttpProblem(ProblemType.UNAVAILABLE, "the server is stopping");
        }
        context.executor().execute(() -> {
            try {
                Source source = switch (route) {
                    case READ_ALL -> new PositionSource(resumeAfter >= 0 ? resumeAfter + 1 : from,
                            (next, count) -> context.store().readAll(next, count));
                    case READ_CATEGORY -> new PositionSource(resumeAfter >= 0 ? resumeAfter + 1 : from,
                            (next, count) -> context.store().readCategory(name, next, count));
                    case READ_STREAM -> new StreamSource(name, resumeAfter >= 0 ? versionAfter(name, resumeAfter) : from);
                    default -> throw new IllegalStateException("not a read route: " + route);
                };
                response.setStatus(200);
                response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/event-stream; charset=utf-8");
                response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-cache");
                response.getHeaders().put("X-Accel-Buffering", "no"); // proxies must not hold events back
                EventStream stream = new EventStream(source, response, callback, resumeAfter);
                open.add(stream);
                stream.iterate();
            } catch (Throwable failure) {
                Responses.fail(request, response, callback, failure);
            }
        });
    }

    /** The first version of {@code stream} whose position is after {@code position}: where a resumed stream goes on. */
    private long versionAfter(String stream, long position) {
        OptionalLong last = context.store().streamVersion(stream);
        if (last.isEmpty()) {
            return 0;
        }
        long low = 0;
        long high = last.getAsLong() + 1; // positions grow with versions: binary search for the first one beyond
        while (low < high) {
            long middle = (low + high) >>> 1;
            long at = context.store().readStream(stream, middle, Direction.FORWARD, 1).findFirst()
                    .map(RecordedEvent::position).orElse(Long.MAX_VALUE);
            if (at > position) {
                high = middle;
            } else {
                low = middle + 1;
            }
        }
        return low;
    }

    /**
     * An append was acknowledged up to {@code position}: wake the parked subscriptions that have not seen it, at once
     * if they have been quiet for {@link #BATCH_NANOS}, else at the next {@link #tick()}. Under a stream of small
     * appends a subscriber so reads a page of several events per wake-up instead of one read and one write per event.
     */
    public void onAppended(long position) {
        long now = System.nanoTime();
        for (EventStream stream : parked) {
            if (stream.seenHead < position && now - stream.lastWrite >= BATCH_NANOS) {
                wake(stream);
            }
        }
    }

    /**
     * Every few milliseconds ({@link #TICK_MILLIS}): wakes the parked subscriptions behind the head (appends batched by
     * {@link #onAppended}, or made some other way) and those due a heartbeat.
     */
    public void tick() {
        if (parked.isEmpty()) {
            return;
        }
        long head;
        try {
            head = context.store().headPosition();
        } catch (StoreClosedException e) {
            return;
        }
        long now = System.nanoTime();
        for (EventStream stream : parked) {
            if (stream.seenHead < head || now - stream.lastWrite >= heartbeatNanos) {
                wake(stream);
            }
        }
    }

    private void wake(EventStream stream) {
        if (parked.remove(stream)) {
            context.executor().execute(stream::iterate);
        }
    }

    public int openCount() {
        return open.size();
    }

    private long maxLag() {
        long head;
        try {
            head = context.store().headPosition();
        } catch (StoreClosedException e) {
            return 0;
        }
        long lag = 0;
        for (EventStream stream : open) {
            lag = Math.max(lag, head - stream.seen);
        }
        return lag;
    }

    @Override
    public CompletableFuture<Void> shutdown() {
        stopping = true;
        for (EventStream stream : open) {
            parked.remove(stream);
            context.executor().execute(stream::iterate); // ends it now, or after its write in flight
        }
        if (open.isEmpty()) {
            allEnded.complete(null);
        }
        return allEnded;
    }

    @Override
    public boolean isShutdown() {
        return stopping && open.isEmpty();
    }

    /** Where a subscription reads from, and how it moves on after an event. */
    private interface Source {
        Stream<RecordedEvent> read(int count);

        void advance(RecordedEvent delivered);
    }

    /** A source that moves by global position: the whole log, or a category. */
    private static final class PositionSource implements Source {
        @FunctionalInterface
        interface Reader {
            Stream<RecordedEvent> read(long from, int count);
        }

        private final Reader reader;
        private long next;

        PositionSource(long from, Reader reader) {
            this.next = from;
            this.reader = reader;
        }

        @Override
        public Stream<RecordedEvent> read(int count) {
            return reader.read(next, count);
        }

        @Override
        public void advance(RecordedEvent delivered) {
            next = delivered.position() + 1;
        }
    }

    private final class StreamSource implements Source {
        private final String stream;
        private long next;

        StreamSource(String stream, long fromVersion) {
            this.stream = stream;
            this.next = fromVersion;
        }

        @Override
        public Stream<RecordedEvent> read(int count) {
            return context.store().readStream(stream, next, Direction.FORWARD, count);
        }

        @Override
        public void advance(RecordedEvent delivered) {
            next = delivered.version() + 1;
        }
    }

    /**
     * One subscriber's stream: {@link #process()} runs on one thread at a time and either starts a write (the next
     * page, the live marker, a heartbeat) or parks. A write's completion calls {@code succeeded()}, which runs
     * {@code process()} again: that is the pacing.
     */
    private final class EventStream extends IteratingCallback {
        private final Source source;
        private final Response response;
        private final Callback callback;
        private boolean liveAnnounced;
        private boolean ended;
        /** The head when this stream last found nothing new: it needs waking only for appends beyond it. */
        volatile long seenHead = StreamVersions.NO_POSITION;
        /** Everything up to this position has been sent (or does not belong to this subscription): for the lag gauge. */
        volatile long seen;
        volatile long lastWrite = System.nanoTime();

        EventStream(Source source, Response response, Callback callback, long resumedAfter) {
            this.source = source;
            this.response = response;
            this.callback = callback;
            this.seen = resumedAfter;
        }

        @Override
        protected Action process() {
            while (true) {
                if (ended) {
                    return Action.SUCCEEDED;
                }
                if (stopping) {
                    return end();
                }
                long head;
                ByteBuffer frames;
                try {
                    head = context.store().headPosition();
                    frames = nextFrames(head);
                } catch (StoreClosedException e) {
                    return end();
                }
                if (frames != null) {
                    return write(frames);
                }
                if (!liveAnnounced) {
                    liveAnnounced = true;
                    return write(LIVE.slice());
                }
                if (System.nanoTime() - lastWrite >= heartbeatNanos) {
                    return write(HEARTBEAT.slice());
                }
                seenHead = head;
                parked.add(this);
                // An append acknowledged between the read and parking would have found us not parked yet: look again.
                if ((stopping || context.store().headPosition() > head) && parked.remove(this)) {
                    continue;
                }
                return Action.IDLE;
            }
        }

        /** The SSE frames of the next page, or null if nothing new; a short page means everything up to head was read. */
        private ByteBuffer nextFrames(long head) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            int count = 0;
            long last = -1;
            try (Stream<RecordedEvent> events = source.read(PAGE_EVENTS)) {
                Iterator<RecordedEvent> iterator = events.iterator();
                while (iterator.hasNext() && out.size() < PAGE_BYTES) {
                    RecordedEvent event = iterator.next();
                    frame(event, out);
                    source.advance(event);
                    last = event.position();
                    count++;
                }
            }
            seen = count < PAGE_EVENTS && out.size() < PAGE_BYTES ? Math.max(head, last) : Math.max(seen, last);
            return count == 0 ? null : ByteBuffer.wrap(out.toByteArray());
        }

        private void frame(RecordedEvent event, ByteArrayOutputStream out) {
            byte[] json = context.json().write(event);
            for (int i = 0; i < json.length; i++) {
                // Outside JSON strings (where they are escaped), CR and LF can only be whitespace of stored JSON data:
                // blanks keep the event on the one data line SSE needs.
                if (json[i] == '\n' || json[i] == '\r') {
                    json[i] = ' ';
                }
            }
            out.writeBytes(("id: " + event.position() + "\nevent: " + event.type() + "\ndata: ").getBytes(StandardCharsets.UTF_8));
            out.writeBytes(json);
            out.writeBytes(new byte[] {'\n', '\n'});
        }

        private Action write(ByteBuffer buffer) {
            lastWrite = System.nanoTime();
            response.write(false, buffer, this);
            return Action.SCHEDULED;
        }

        private Action end() {
            ended = true;
            response.write(true, null, this); // the last chunk: a clean end of stream for the client
            return Action.SCHEDULED;
        }

        @Override
        protected void onCompleteSuccess() {
            finished();
            callback.succeeded();
        }

        @Override
        protected void onCompleteFailure(Throwable cause) {
            // the client went away, or a write it did not drain timed out: nothing is kept for it
            finished();
            callback.failed(cause);
        }

        private void finished() {
            parked.remove(this);
            open.remove(this);
            if (stopping && open.isEmpty()) {
                allEnded.complete(null);
            }
        }

        @Override
        public InvocationType getInvocationType() {
            return InvocationType.BLOCKING; // process() reads the store: never on a selector thread
        }
    }

}
