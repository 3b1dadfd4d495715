import dev.strata.eventstore.EventData;
import dev.strata.eventstore.EventStore;
import dev.strata.eventstore.ExpectedVersion;
import dev.strata.eventstore.remote.RemoteEventStore;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Single-event appends per second from 16 threads to a running `strata server`, 8 s per round, four rounds of each
 * in turn: the JDK's HttpClient with send(), the same client with sendAsync().join(), and RemoteEventStore. Used for
 * bench/ANALYSIS.md point 5; see bench/profiling/README.md for the command.
 */
public class RemoteClientProbe {

    interface Append {
        void append(String stream) throws Exception;
    }

    public static void main(String[] args) throws Exception {
        URI base = URI.create(args.length > 0 ? args[0] : "http://127.0.0.1:7433");
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        Append send = stream -> check(client.send(request(base, stream), HttpResponse.BodyHandlers.ofByteArray()));
        Append sendAsyncJoin = stream -> check(client.sendAsync(request(base, stream), HttpResponse.BodyHandlers.ofByteArray()).join());
        try (EventStore remote = RemoteEventStore.connect(base, null)) {
            Append remoteAppend = stream -> remote.append(stream, ExpectedVersion.any(), List.of(EventData.json("T", "{\"x\":1}")));
            for (int round = 0; round < 4; round++) {
                run("JDK HttpClient send()", send);
                run("JDK HttpClient sendAsync().join()", sendAsyncJoin);
                run("RemoteEventStore.append", remoteAppend);
            }
        }
    }

    static HttpRequest request(URI base, String stream) {
        String body = "[{\"specversion\":\"1.0\",\"id\":\"" + UUID.randomUUID()
                + "\",\"source\":\"/probe\",\"type\":\"T\",\"datacontenttype\":\"application/json\",\"data\":{\"x\":1}}]";
        return HttpRequest.newBuilder(base.resolve("/streams/" + stream))
                .header("Content-Type", "application/cloudevents-batch+json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    static void check(HttpResponse<byte[]> response) {
        if (response.statusCode() != 201) {
            throw new IllegalStateException("HTTP " + response.statusCode() + ": " + new String(response.body()));
        }
    }

    static void run(String name, Append append) throws InterruptedException {
        int threads = 16;
        int seconds = 8;
        AtomicLong appended = new AtomicLong();
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        Thread[] workers = new Thread[threads];
        for (int t = 0; t < threads; t++) {
            int thread = t;
            workers[t] = new Thread(() -> {
                try {
                    for (int i = 0; System.nanoTime() < end; i++) {
                        append.append("probe-" + thread + "-" + (i % 50));
                        appended.incrementAndGet();
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            workers[t].start();
        }
        for (Thread worker : workers) {
            worker.join();
        }
        System.out.printf("%-36s %,6.0f appends/s%n", name, appended.get() / (double) seconds);
    }
}
