package dev.strata.server;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** A test's SSE client: reads frames and comments into a queue as they arrive, on a thread of its own. */
final class SseReader implements AutoCloseable {

    /** One dispatched event, or a comment ({@code comment} set, the rest null). */
    record Frame(String id, String event, String data, String comment) {
    }

    private final BlockingQueue<Frame> frames = new LinkedBlockingQueue<>();
    private final CompletableFuture<Void> ended = new CompletableFuture<>();
    private final HttpResponse<Stream<String>> response;
    private final Thread thread;

    private SseReader(HttpResponse<Stream<String>> response) {
        this.response = response;
        this.thread = new Thread(this::read, "sse-reader");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    static SseReader open(URI uri, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).header("Accept", "text/event-stream").GET();
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        HttpResponse<Stream<String>> response = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()
                .send(request.build(), HttpResponse.BodyHandlers.ofLines());
        return new SseReader(response);
    }

    HttpResponse<Stream<String>> response() {
        return response;
    }

    private void read() {
        String id = null;
        String event = null;
        StringBuilder data = null;
        try (Stream<String> lines = response.body()) {
            for (String line : (Iterable<String>) lines::iterator) {
                if (line.isEmpty()) {
                    if (data != null) {
                        frames.add(new Frame(id, event, data.toString(), null));
                    }
                    id = null;
                    event = null;
                    data = null;
                } else if (line.startsWith(":")) {
                    frames.add(new Frame(null, null, null, line.substring(1).strip()));
                } else if (line.startsWith("id: ")) {
                    id = line.substring(4);
                } else if (line.startsWith("event: ")) {
                    event = line.substring(7);
                } else if (line.startsWith("data: ")) {
                    data = data == null ? new StringBuilder(line.substring(6)) : data.append('\n').append(line.substring(6));
                } else {
                    frames.add(new Frame(null, null, null, "UNEXPECTED LINE " + line));
                }
            }
            ended.complete(null);
        } catch (RuntimeException e) {
            ended.completeExceptionally(e);
        }
    }

    /** The next frame within {@code timeout}, or null. */
    Frame next(Duration timeout) throws InterruptedException {
        return frames.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The next {@code count} event frames (comments skipped), each within {@code timeout}. */
    List<Frame> events(int count, Duration timeout) throws InterruptedException {
        List<Frame> events = new ArrayList<>();
        while (events.size() < count) {
            Frame frame = next(timeout);
            if (frame == null) {
                throw new AssertionError("only " + events.size() + " of " + count + " events arrived: " + events);
            }
            if (frame.comment() == null) {
                events.add(frame);
            }
        }
        return events;
    }

    /** Waits for the comment {@code text}, skipping events; fails after {@code timeout}. */
    void awaitComment(String text, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            Frame frame = next(Duration.ofMillis(100));
            if (frame != null && text.equals(frame.comment())) {
                return;
            }
        }
        throw new AssertionError("no ': " + text + "' within " + timeout);
    }

    CompletableFuture<Void> ended() {
        return ended;
    }

    @Override
    public void close() {
        thread.interrupt();
        response.body().close();
    }
}
