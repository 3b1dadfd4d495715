package dev.strata.relay.testkit;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.function.Function;

/**
 * A real HTTP server on loopback (the JDK's {@code com.sun.net.httpserver}) that records every request and answers as
 * the test says: a webhook for the HTTP sink to publish to.
 */
public final class RecordingWebhook implements AutoCloseable {

    /** A request as received: headers with lower-case names, the body, and when it came. */
    public record Request(int index, Map<String, String> headers, byte[] body, long receivedNanos) {
        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        public String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    /** An answer: status, headers, and a delay before it (to provoke client timeouts). */
    public record Answer(int status, Map<String, String> headers, long delayMillis) {
        public static Answer ok() {
            return new Answer(200, Map.of(), 0);
        }

        public static Answer status(int status) {
            return new Answer(status, Map.of(), 0);
        }
    }

    private final HttpServer server;
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private volatile Function<Request, Answer> answers = request -> Answer.ok();

    public RecordingWebhook() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.createContext("/hook", exchange -> {
            Map<String, String> headers = new TreeMap<>();
            exchange.getRequestHeaders().forEach((name, values) -> headers.put(name.toLowerCase(Locale.ROOT), String.join(",", values)));
            byte[] body = exchange.getRequestBody().readAllBytes();
            Request request;
            synchronized (requests) {
                request = new Request(requests.size(), headers, body, System.nanoTime());
                requests.add(request);
            }
            Answer answer = answers.apply(request);
            if (answer.delayMillis() > 0) {
                try {
                    Thread.sleep(answer.delayMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            answer.headers().forEach((name, value) -> exchange.getResponseHeaders().add(name, value));
            byte[] reply = ("status " + answer.status()).getBytes(StandardCharsets.UTF_8);
            try {
                exchange.sendResponseHeaders(answer.status(), reply.length);
                exchange.getResponseBody().write(reply);
            } catch (IOException e) {
                // the client gave up waiting (timeout tests)
            }
            exchange.close();
        });
        server.start();
    }

    public URI uri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/hook");
    }

    public void answer(Function<Request, Answer> answers) {
        this.answers = answers;
    }

    public List<Request> requests() {
        return new ArrayList<>(requests);
    }

    @Override
    public void close() {
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }
}
