package dev.strata.projections.internal;

import com.lmax.disruptor.ExceptionHandler;
import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.TimeoutException;
import com.lmax.disruptor.dsl.Disruptor;
import com.lmax.disruptor.dsl.ProducerType;
import dev.strata.eventstore.StoreClosedException;
import dev.strata.eventstore.Subscription;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A tailer, a Disruptor ring and its projectors, all in parallel after the tailer. The pipeline runs one live ring
 * for all projections, and a catching-up ring for each rebuild's backfill or resumed partition: such a ring reads
 * the log from its targets' checkpoints and, once at the head, hands its targets over (to the live ring) and ends.
 *
 * <p>The ring has several producers (the tailer, and commands from API threads), hence {@link ProducerType#MULTI}.
 * Close order: the subscription first (the ring drains, so a tailer blocked on a full ring gets out), then the
 * Disruptor, which lets every projector finish and commit.
 */
final class ProjectorRing {

    private static final Logger LOG = LoggerFactory.getLogger(ProjectorRing.class);
    private static final AtomicInteger IDS = new AtomicInteger();

    private final String name;
    private final PipelineSettings settings;
    private final List<Projector> projectors;
    private final long from;
    private final Consumer<List<Target>> onCaughtUp;
    private Disruptor<Slot> disruptor;
    private RingBuffer<Slot> ring;
    private Tailer tailer;
    private Subscription subscription;
    private volatile Throwable tailerFailure;

    /**
     * @param from       the first position to read
     * @param onCaughtUp null for the live ring; for a catching-up ring, gets the targets once the ring reached the
     *                   head and its projectors gave them up (called on a projector thread: hand work elsewhere)
     */
    ProjectorRing(String name, PipelineSettings settings, List<Projector> projectors, long from,
                  Consumer<List<Target>> onCaughtUp) {
        this.name = name + "-" + IDS.incrementAndGet();
        this.settings = settings;
        this.projectors = List.copyOf(projectors);
        this.from = from;
        this.onCaughtUp = onCaughtUp;
    }

    ProjectorRing start() {
        ThreadFactory threads = runnable -> {
            Thread thread = new Thread(runnable, "strata-projector-" + name);
            thread.setDaemon(true);
            return thread;
        };
        disruptor = new Disruptor<>(Slot::new, settings.ringSize(), threads, ProducerType.MULTI, settings.waitStrategy().get());
        disruptor.handleEventsWith(projectors.toArray(Projector[]::new));
        for (Projector projector : projectors) {
            disruptor.handleExceptionsFor(projector).with(new Failures(projector));
        }
        ring = disruptor.start();
        tailer = new Tailer(ring, settings.decoder(), onCaughtUp == null ? null : this::caughtUp, this::tailerStopped);
        subscription = settings.store().subscribeToAll(from, tailer);
        LOG.debug("Ring {} started at position {} with {}", name, from, projectors);
        return this;
    }

    private void caughtUp() {
        List<Target> targets = new ArrayList<>();
        publish(new Control.HandOver(targets, new Control.Countdown(projectors.size(), () -> onCaughtUp.accept(targets))));
    }

    private void tailerStopped(Throwable cause) {
        tailerFailure = cause;
        if (!(cause instanceof StoreClosedException)) {
            LOG.error("Ring {} stopped following the log: {}", name, cause.toString());
        }
    }

    void publish(Control control) {
        ring.publishEvent((slot, sequence, command) -> slot.control(command), control);
    }

    String name() {
        return name;
    }

    long lastPublished() {
        return tailer == null ? from - 1 : tailer.lastPublished();
    }

    Throwable tailerFailure() {
        return tailerFailure;
    }

    void close(Duration timeout) {
        if (subscription != null) {
            subscription.close();
        }
        if (disruptor != null) {
            try {
                disruptor.shutdown(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                LOG.warn("Ring {} did not drain within {} ms (a handler is stuck?): halting it", name, timeout.toMillis());
                disruptor.halt();
            }
        }
    }

    /** Hands whatever escaped a projector's event handling to the projector, which stops its targets. */
    private static final class Failures implements ExceptionHandler<Slot> {
        private final Projector projector;

        Failures(Projector projector) {
            this.projector = projector;
        }

        @Override
        public void handleEventException(Throwable failure, long sequence, Slot slot) {
            LOG.error("{} failed; its targets stop", projector, failure);
            projector.fail(failure, slot == null ? null : slot.event);
        }

        @Override
        public void handleOnStartException(Throwable failure) {
            LOG.error("{} failed to start", projector, failure);
        }

        @Override
        public void handleOnShutdownException(Throwable failure) {
            LOG.error("{} failed to commit on shutdown", projector, failure);
        }
    }
}
