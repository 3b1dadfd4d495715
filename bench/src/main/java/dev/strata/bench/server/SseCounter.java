package dev.strata.bench.server;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Recorder;

/**
 * A Server-Sent Events subscriber to {@code /all} that counts events and records how long each took from its append
 * being sent to its arrival here: the events carry {@code "t":<System.nanoTime() at send>} in their data, and the
 * generator runs in the server's JVM, so the clocks agree.
 */
final class SseCounter implements AutoCloseable {

    private final Socket socket;
    private final Thread thread;
    private final AtomicLong events = new AtomicLong();
    private final Recorder latency = new Recorder(3);
    private volatile boolean running = true;

    SseCounter(InetSocketAddress server, long fromPosition) throws IOException {
        this.socket = new Socket();
        socket.connect(server, 5_000);
        socket.getOutputStream().write(("GET /all?from=" + fromPosition + " HTTP/1.1\r\nHost: bench\r\nAccept: text/event-stream\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        this.thread = new Thread(this::read, "sse-counter");
        thread.setDaemon(true);
        thread.start();
    }

    private void read() {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8), 64 << 10)) {
            String line;
            while (running && (line = lines.readLine()) != null) {
                if (line.startsWith("data: ")) {
                    int at = line.indexOf("\"t\":");
                    if (at > 0) {
                        int end = at + 4;
                        while (end < line.length() && Character.isDigit(line.charAt(end))) {
                            end++;
                        }
                        long sent = Long.parseLong(line, at + 4, end, 10);
                        latency.recordValue(Math.max(0, System.nanoTime() - sent) / 1000);
                    }
                    events.incrementAndGet();
                }
            }
        } catch (IOException | RuntimeException e) {
            // closed at the end of the run
        }
    }

    long events() {
        return events.get();
    }

    /** Delivery latencies (microseconds) since the last call. */
    org.HdrHistogram.Histogram latencies() {
        return latency.getIntervalHistogram();
    }

    @Override
    public void close() throws IOException {
        running = false;
        socket.close();
    }
}
