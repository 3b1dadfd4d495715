package dev.strata.eventstore.remote;

import dev.strata.eventstore.EventStoreException;
import dev.strata.eventstore.RecordedEvent;
import dev.strata.eventstore.StreamVersions;
import dev.strata.eventstore.Subscription;
import dev.strata.eventstore.SubscriptionListener;
import dev.strata.eventstore.cloudevents.CloudEventJson;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A subscription over Server-Sent Events, on its own thread. It reads the event stream line by line, hands each event
 * to the listener, and when the connection drops (the server stopped, the network failed, no heartbeat for
 * {@code heartbeatTimeout}) it reconnects with {@code Last-Event-ID} set to the position of the last event delivered,
 * so the server resumes right after it: no gap, no duplicate (an event at or below that position is skipped should
 * one arrive anyway). Reconnects back off from {@code reconnectDelay} to 5 s; a refusal that retrying cannot cure
 * (400, 401, 403, 404) stops the subscription and the listener hears why.
 */
final class RemoteSubscription implements Subscription, Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(RemoteSubscription.class);
    private static final long MAX_RECONNECT_DELAY_MS = 5_000;

    private final String description;
    private final String path;
    private final long from;
    private final SubscriptionListener listener;
    private final ServerConnection connection;
    private final CloudEventJson json;
    private final long heartbeatTimeoutNanos;
    private final long reconnectDelayMs;
    private final ScheduledExecutorService watchdog;
    private final Consumer<RemoteSubscription> onEnd;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile boolean live;
    private volatile long lastPosition = StreamVersions.NO_POSITION;
    private volatile InputStream body;
    private volatile long lastHeard = System.nanoTime();
    private volatile boolean dispatching;
    private ScheduledFuture<?> watch;

    RemoteSubscription(String description, String path, long from, SubscriptionListener listener, ServerConnection connection,
                       CloudEventJson json, Duration heartbeatTimeout, Duration reconnectDelay, ScheduledExecutorService watchdog,
                       Consumer<RemoteSubscription> onEnd) {
        this.description = description;
        this.path = path;
        this.from = from;
        this.listener = listener;
        this.connection = connection;
        this.json = json;
        this.heartbeatTimeoutNanos = heartbeatTimeout.toNanos();
        this.reconnectDelayMs = Math.max(1, reconnectDelay.toMillis());
        this.watchdog = watchdog;
        this.onEnd = onEnd;
        this.thread = new Thread(this, "strata-remote-subscription-" + description);
        this.thread.setDaemon(true);
    }

    RemoteSubscription start() {
        long period = Math.max(100, TimeUnit.NANOSECONDS.toMillis(heartbeatTimeoutNanos) / 4);
        watch = watchdog.scheduleWithFixedDelay(this::checkHeartbeat, period, period, TimeUnit.MILLISECONDS);
        thread.start();
        return this;
    }

    /** A connection that has been silent for longer than the heartbeat timeout is dead: drop it, the loop reconnects. */
    private void checkHeartbeat() {
        InputStream current = body;
        if (current != null && System.nanoTime() - lastHeard > heartbeatTimeoutNanos) {
            LOG.info("Subscription {} heard nothing for {} ms: reconnecting", description,
                    TimeUnit.NANOSECONDS.toMillis(heartbeatTimeoutNanos));
            closeQuietly(current);
        }
    }

    @Override
    public void run() {
        Throwable stopped = null;
        long delay = reconnectDelayMs;
        try {
            while (running) {
                long waitMs = delay;
                try {
                    if (readOnce()) {
                        delay = reconnectDelayMs;
                        waitMs = 0; // the server ended a healthy stream (it is stopping): reconnect at once, then back off
                    }
                } catch (ListenerFailed failed) {
                    stopped = failed.getCause();
                    break;
                } catch (EventStoreException e) {
                    if (!e.isRetryable()) {
                        stopped = e;
                        break;
                    }
                    if (e instanceof RemoteStoreException remote && remote.retryAfter().isPresent()) {
                        waitMs = remote.retryAfter().get().toMillis();
                    }
                    LOG.debug("Subscription {} cannot connect, retrying in {} ms: {}", description, waitMs, e.toString());
                } catch (IOException e) {
                    LOG.debug("Subscription {} lost its connection at position {}, retrying in {} ms: {}", description,
                            lastPosition, waitMs, e.toString());
                } catch (InterruptedException e) {
                    break; // close()
                }
                if (!running) {
                    break;
                }
                if (waitMs > 0) {
                    try {
                        Thread.sleep(waitMs);
                    } catch (InterruptedException e) {
                        break;
                    }
                    delay = Math.min(delay * 2, MAX_RECONNECT_DELAY_MS);
                }
            }
        } catch (RuntimeException | Error e) {
            stopped = e;
        } finally {
            running = false;
            body = null;
            if (watch != null) {
                watch.cancel(false);
            }
            onEnd.accept(this);
        }
        if (stopped != null) {
            listener.onStopped(stopped);
        }
    }

    /**
     * One connection: connect, then read events until the stream ends. Returns whether it delivered anything or was
     * healthy long enough to reset the backoff (it reached the live point).
     */
    private boolean readOnce() throws IOException, InterruptedException {
        long resumeAfter = lastPosition;
        HttpRequest.Builder request = connection.streamingRequest(resumeAfter < 0 ? path + "?from=" + from : path)
                .header("Accept", "text/event-stream")
                .GET();
        if (resumeAfter >= 0) {
            request.header("Last-Event-ID", Long.toString(resumeAfter));
        }
        HttpResponse<InputStream> response = connection.client().send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        if (response.statusCode() != 200) {
            byte[] problem;
            try (InputStream in = response.body()) {
                problem = in.readNBytes(64 << 10);
            }
            throw ServerConnection.failure(response, problem, null, null);
        }
        boolean healthy = false;
        InputStream in = response.body();
        body = in;
        lastHeard = System.nanoTime();
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 64 << 10)) {
            if (!running) {
                return false;
            }
            StringBuilder data = null;
            String line;
            while ((line = lines.readLine()) != null) {
                lastHeard = System.nanoTime();
                if (line.isEmpty()) {
                    if (data != null) {
                        healthy |= deliver(data.toString());
                        data = null;
                    }
                } else if (line.charAt(0) == ':') {
                    if (line.substring(1).trim().equals("live")) {
                        healthy = true;
                        if (!live) {
                            live = true;
                            listener.onLive();
                        }
                    }
                } else {
                    int colon = line.indexOf(':');
                    String field = colon < 0 ? line : line.substring(0, colon);
                    if (field.equals("data")) {
                        String value = colon < 0 ? "" : line.substring(colon + 1);
                        if (value.startsWith(" ")) {
                            value = value.substring(1);
                        }
                        data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
                    }
                    // "id" repeats the event's position and "event" its type: both are in the data as well
                }
                if (!running) {
                    break;
                }
            }
        } finally {
            body = null;
        }
        return healthy;
    }

    private boolean deliver(String data) {
        RecordedEvent event = json.readRecorded(data.getBytes(StandardCharsets.UTF_8));
        if (event.position() <= lastPosition || !running) {
            return false;
        }
        dispatching = true;
        try {
            listener.onEvent(event);
        } catch (Throwable t) {
            running = false;
            throw new ListenerFailed(t);
        } finally {
            dispatching = false;
        }
        lastPosition = event.position();
        return true;
    }

    /** Carries a listener's exception out of the read loop, which ends the subscription with it. */
    private static final class ListenerFailed extends RuntimeException {
        ListenerFailed(Throwable cause) {
            super(cause);
        }
    }

    private static void closeQuietly(InputStream in) {
        try {
            in.close();
        } catch (IOException e) {
            // closing a dropped connection: nothing more to do
        }
    }

    @Override
    public long lastPosition() {
        return lastPosition;
    }

    @Override
    public boolean isLive() {
        return live;
    }

    @Override
    public boolean isRunning() {
        return running || thread.isAlive();
    }

    @Override
    public void close() {
        running = false;
        InputStream current = body;
        if (current != null) {
            closeQuietly(current);
        }
        if (Thread.currentThread() == thread) {
            return;
        }
        if (!dispatching) {
            thread.interrupt(); // wakes a connect or a backoff sleep; a listener at work is left to finish its event
        }
        try {
            thread.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return "remote subscription " + description + " at " + lastPosition + (live ? " (live)" : " (catching up)");
    }
}
