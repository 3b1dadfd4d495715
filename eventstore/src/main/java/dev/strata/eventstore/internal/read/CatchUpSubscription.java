package dev.strata.eventstore.internal.read;

import dev.strata.eventstore.RecordedEvent;
import dev.strata.eventstore.StoreClosedException;
import dev.strata.eventstore.StreamVersions;
import dev.strata.eventstore.Subscription;
import dev.strata.eventstore.SubscriptionListener;
import dev.strata.eventstore.internal.Signal;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A subscription on its own thread: it pages through the same reads as a finite read until a page comes back
 * empty (caught up: {@link SubscriptionListener#onLive()}), then waits for the next commit and pages again.
 * Catch-up and live are one loop over one cursor, so there is no switch-over where an event could be missed or
 * delivered twice. The subscription pulls from the log, so a slow listener never holds up a writer.
 */
public final class CatchUpSubscription implements Subscription, Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(CatchUpSubscription.class);

    private final String description;
    private final Pager pager;
    private final SubscriptionListener listener;
    private final Signal signal;
    private final LongSupplier watermark;
    private final Consumer<CatchUpSubscription> onEnd;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile boolean live;
    private volatile long lastPosition = StreamVersions.NO_POSITION;
    private volatile Throwable closeReason;

    /**
     * @param watermark what {@code signal} announces the growth of (the commit or index position): a page read
     *                  after it was sampled sees everything up to it, so waiting for it to grow loses nothing
     */
    public CatchUpSubscription(String description, Pager pager, SubscriptionListener listener, Signal signal,
                               LongSupplier watermark, Consumer<CatchUpSubscription> onEnd) {
        this.description = description;
        this.pager = pager;
        this.listener = listener;
        this.signal = signal;
        this.watermark = watermark;
        this.onEnd = onEnd;
        this.thread = new Thread(this, "strata-subscription-" + description);
        this.thread.setDaemon(true);
    }

    public CatchUpSubscription start() {
        thread.start();
        return this;
    }

    @Override
    public void run() {
        List<RecordedEvent> page = new ArrayList<>(PagedSpliterator.PAGE);
        Throwable stopped = null;
        try {
            while (running) {
                page.clear();
                long sampled = watermark.getAsLong();
                pager.fill(page, PagedSpliterator.PAGE);
                for (RecordedEvent event : page) {
                    if (!running) {
                        break;
                    }
                    listener.onEvent(event);
                    lastPosition = event.position();
                }
                if (page.isEmpty() && running) {
                    if (!live) {
                        live = true;
                        listener.onLive();
                    }
                    signal.await(() -> !running || watermark.getAsLong() > sampled, 200, TimeUnit.MILLISECONDS);
                }
            }
        } catch (StoreClosedException e) {
            stopped = e;
        } catch (Throwable t) {
            stopped = t;
            LOG.warn("Subscription {} stopped at position {}: {}", description, lastPosition, t.toString());
        } finally {
            running = false;
            if (pager instanceof AutoCloseable closeable) {
                try {
                    closeable.close();
                } catch (Exception e) {
                    LOG.debug("closing a pager failed", e);
                }
            }
            onEnd.accept(this);
        }
        if (stopped == null) {
            stopped = closeReason;
        }
        if (stopped != null) {
            listener.onStopped(stopped);
        }
    }

    /** Stops the subscription because the store closes: the listener hears why. */
    public void stopForClose(Throwable reason) {
        closeReason = reason;
        running = false;
        signal.signalAll();
        join();
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
        signal.signalAll();
        join();
    }

    private void join() {
        if (Thread.currentThread() != thread) {
            try {
                thread.join(TimeUnit.SECONDS.toMillis(10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public String toString() {
        return "subscription " + description + " at " + lastPosition + (live ? " (live)" : " (catching up)");
    }
}
