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

/**
 * Time per sequential single-event append to a running `strata server`: the JDK's HttpClient alone (no Strata code
 * on the client), then RemoteEventStore, three rounds of 1,000 each. Used for bench/ANALYSIS.md point 5; see
 * bench/profiling/README.md for the command.
 */
public class JdkHttpClientProbe {
    public static void main(String[] args) throws Exception {
        URI base = URI.create(args.length > 0 ? args[0] : "http://127.0.0.1:7433");
        int n = 1000;
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        for (int round = 0; round < 3; round++) {
            long start = System.nanoTime();
            for (int i = 0; i < n; i++) {
                String body = "[{\"specversion\":\"1.0\",\"id\":\"" + UUID.randomUUID()
                        + "\",\"source\":\"/probe\",\"type\":\"T\",\"datacontenttype\":\"application/json\",\"data\":{\"x\":1}}]";
                HttpRequest request = HttpRequest.newBuilder(base.resolve("/streams/probe-" + (i % 100)))
                        .header("Content-Type", "application/cloudevents-batch+json")
                        .POST(HttpRequest.BodyPublishers.ofString(body)).build();
                HttpResponse<byte[]> response = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
                if (response.statusCode() != 201) {
                    throw new IllegalStateException("HTTP " + response.statusCode() + ": " + new String(response.body()));
                }
            }
            System.out.printf("JDK HttpClient: %.0f us/append%n", (System.nanoTime() - start) / 1e3 / n);
        }
        try (EventStore store = RemoteEventStore.connect(base, null)) {
            for (int round = 0; round < 3; round++) {
                long start = System.nanoTime();
                for (int i = 0; i < n; i++) {
                    store.append("remote-" + (i % 100), ExpectedVersion.any(), List.of(EventData.json("T", "{\"x\":1}")));
                }
                System.out.printf("RemoteEventStore: %.0f us/append%n", (System.nanoTime() - start) / 1e3 / n);
            }
        }
    }
}
