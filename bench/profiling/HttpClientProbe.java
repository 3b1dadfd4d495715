import dev.strata.eventstore.Durability;
import dev.strata.eventstore.EventData;
import dev.strata.eventstore.EventStore;
import dev.strata.eventstore.ExpectedVersion;
import dev.strata.eventstore.remote.RemoteEventStore;
import dev.strata.server.StrataServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.client.BytesRequestContent;

/**
 * Single-event appends to a Strata server through Java HTTP clients, for bench/ANALYSIS.md point 5 (commands in
 * bench/profiling/README.md):
 * <pre>
 * java ... HttpClientProbe.java sequential URL|--in-process DIR   1,000 appends one after the other, three rounds, us/append:
 *                                                                 the JDK's HttpClient, then RemoteEventStore
 * java ... HttpClientProbe.java threads URL|--in-process DIR      16 threads, four 8 s rounds of each in turn, appends/s:
 *                                                                 the JDK's send(), its sendAsync().join(), RemoteEventStore
 * java ... HttpClientProbe.java jetty URL|--in-process DIR        the same 16 threads through Jetty's HttpClient
 * </pre>
 * {@code --in-process DIR} starts the server (FSYNC, store in DIR) in this JVM, as the suite does.
 */
public class HttpClientProbe {

    interface Append {
        void append(String stream) throws Exception;
    }

    public static void main(String[] args) throws Exception {
        String mode = args[0];
        StrataServer server = args[1].equals("--in-process")
                ? StrataServer.builder().dataDirectory(Path.of(args[2])).port(0).durability(Durability.FSYNC).start()
                : null;
        URI base = server != null ? server.uri() : URI.create(args[1]);
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        Append send = stream -> check(client.send(request(base, stream), HttpResponse.BodyHandlers.ofByteArray()).statusCode());
        try (EventStore remote = RemoteEventStore.connect(base, null)) {
            Append remoteAppend = stream -> remote.append(stream, ExpectedVersion.any(), List.of(EventData.json("T", "{\"x\":1}")));
            switch (mode) {
                case "sequential" -> {
                    for (int round = 0; round < 3; round++) {
                        sequential("JDK HttpClient", send);
                    }
                    for (int round = 0; round < 3; round++) {
                        sequential("RemoteEventStore", remoteAppend);
                    }
                }
                case "threads" -> {
                    Append sendAsyncJoin = stream -> check(client.sendAsync(request(base, stream), HttpResponse.BodyHandlers.ofByteArray())
                            .join().statusCode());
                    for (int round = 0; round < 4; round++) {
                        threads("JDK HttpClient send()", send);
                        threads("JDK HttpClient sendAsync().join()", sendAsyncJoin);
                        threads("RemoteEventStore.append", remoteAppend);
                    }
                }
                case "jetty" -> {
                    org.eclipse.jetty.client.HttpClient jetty = new org.eclipse.jetty.client.HttpClient();
                    jetty.setMaxConnectionsPerDestination(64);
                    jetty.start();
                    try {
                        Append jettySend = stream -> check(jetty.newRequest(base.resolve("/streams/" + stream)).method("POST")
                                .body(new BytesRequestContent("application/cloudevents-batch+json", body())).send().getStatus());
                        for (int round = 0; round < 4; round++) {
                            threads("Jetty HttpClient send()", jettySend);
                        }
                    } finally {
                        jetty.stop();
                    }
                }
                default -> throw new IllegalArgumentException("mode must be sequential, threads or jetty: " + mode);
            }
        } finally {
            if (server != null) {
                server.close();
            }
        }
    }

    static byte[] body() {
        return ("[{\"specversion\":\"1.0\",\"id\":\"" + UUID.randomUUID()
                + "\",\"source\":\"/probe\",\"type\":\"T\",\"datacontenttype\":\"application/json\",\"data\":{\"x\":1}}]").getBytes();
    }

    static HttpRequest request(URI base, String stream) {
        return HttpRequest.newBuilder(base.resolve("/streams/" + stream))
                .header("Content-Type", "application/cloudevents-batch+json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body())).build();
    }

    static void check(int status) {
        if (status != 201) {
            throw new IllegalStateException("HTTP " + status);
        }
    }

    static void sequential(String name, Append append) throws Exception {
        int n = 1000;
        long start = System.nanoTime();
        for (int i = 0; i < n; i++) {
            append.append("probe-" + (i % 100));
        }
        System.out.printf("%s: %.0f us/append%n", name, (System.nanoTime() - start) / 1e3 / n);
    }

    static void threads(String name, Append append) throws InterruptedException {
        int threads = 16;
        int seconds = Integer.getInteger("seconds", 8);
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
