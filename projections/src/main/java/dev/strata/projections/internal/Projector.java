package dev.strata.projections.internal;

import com.lmax.disruptor.EventHandler;
import dev.strata.eventstore.EventReader;
import dev.strata.eventstore.RecordedEvent;
import dev.strata.projections.EventDecoder;
import dev.strata.projections.ProjectionFailure;
import java.util.ArrayList;
import java.util.List;

/**
 * A Disruptor handler that applies the ring's events to its targets and commits at the end of each ring batch
 * ({@code endOfBatch}), or sooner when a batch grows past the limit.
 *
 * <p>On the live ring a projector owns one partition of one projection: the serving generation's target of that
 * partition, and during a rebuild's last phase the new generation's too. On a catching-up ring (a rebuild's
 * backfill, a resumed partition) it owns whatever targets it was given, until it hands them over.
 *
 * <p>A target that is behind the ring (just adopted) is first brought up to the ring's position from the log, so
 * targets never miss an event; events a target already has are skipped, so none is applied twice.
 */
final class Projector implements EventHandler<Slot> {

    private final ProjectionRuntime runtime;
    private final int partition;
    private final List<Target> targets = new ArrayList<>();
    private final BatchWriter writer;
    private final ReadModelDatabase db;
    private final EventReader store;
    private final EventDecoder decoder;
    private final int maxBatchEvents;
    private long lastSeen;

    /**
     * @param partition the partition owned on the live ring, or -1 on a catching-up ring
     * @param start     the ring's first position
     */
    Projector(ProjectionRuntime runtime, int partition, List<Target> initial, ReadModelDatabase db, EventReader store,
              EventDecoder decoder, int maxBatchEvents, long start) {
        this.runtime = runtime;
        this.partition = partition;
        this.targets.addAll(initial);
        this.db = db;
        this.store = store;
        this.decoder = decoder;
        this.maxBatchEvents = maxBatchEvents;
        this.writer = new BatchWriter(db);
        this.lastSeen = start - 1;
    }

    ProjectionRuntime runtime() {
        return runtime;
    }

    int partition() {
        return partition;
    }

    @Override
    public void onEvent(Slot slot, long sequence, boolean endOfBatch) {
        if (slot.control != null) {
            slot.control.run(this);
        } else {
            RecordedEvent event = slot.event;
            if (!targets.isEmpty()) {
                catchUp(event.position() - 1);
                apply(event, slot.data, slot.decodeFailure);
            }
            lastSeen = event.position();
        }
        if (endOfBatch || writer.pendingEvents() >= maxBatchEvents) {
            writer.commit();
        }
    }

    @Override
    public void onShutdown() {
        writer.commit();
        writer.close();
    }

    private void apply(RecordedEvent event, Object data, RuntimeException failure) {
        String key;
        RuntimeException poison = failure;
        try {
            key = runtime.keyOf(event);
        } catch (RuntimeException e) {
            key = event.stream();
            poison = poison != null ? poison : e;
        }
        int keyPartition = runtime.partitionOf(key);
        for (int i = 0; i < targets.size(); i++) {
            writer.apply(targets.get(i), event, data, poison, key, keyPartition);
        }
        writer.countEvent();
    }

    /** Brings every target that is behind {@code upTo} up to it from the log (decoding here, for this projection only). */
    private void catchUp(long upTo) {
        long from = Long.MAX_VALUE;
        for (Target target : targets) {
            if (!target.stopped && target.checkpoint < Math.min(upTo, target.limit)) {
                from = Math.min(from, target.checkpoint + 1);
            }
        }
        if (from > upTo) {
            return;
        }
        LogReader.read(store, from, upTo, event -> {
            Object data = null;
            RuntimeException failure = null;
            try {
                data = decoder.decode(event);
            } catch (RuntimeException e) {
                failure = e;
            }
            apply(event, data, failure);
            if (writer.pendingEvents() >= maxBatchEvents) {
                writer.commit();
            }
        });
    }

    // ------------------------------------------------------------ commands (see Control), on this thread

    void adopt(List<Target> adopted) {
        for (Target target : adopted) {
            targets.add(target);
            target.generation.attached().incrementAndGet();
        }
        catchUp(lastSeen);
    }

    void retire(Generation generation) {
        writer.commit(); // nothing of the retired generation may be written after its column family is dropped
        targets.removeIf(target -> {
            if (target.generation == generation) {
                generation.attached().decrementAndGet();
                return true;
            }
            return false;
        });
        for (Target target : targets) {
            target.replaying = false; // what remains is the serving generation: its side effects run from now on
        }
    }

    List<Target> detachStopped() {
        writer.commit();
        List<Target> stopped = new ArrayList<>();
        targets.removeIf(target -> {
            if (target.stopped) {
                stopped.add(target);
                target.generation.attached().decrementAndGet();
                return true;
            }
            return false;
        });
        return stopped;
    }

    long[] retryParked(String key) {
        writer.commit();
        long applied = 0;
        long stillParked = 0;
        for (Target target : targets) {
            if (!target.stopped) {
                long[] result = ParkedRetry.retry(writer, db, store, decoder, target, key);
                applied += result[0];
                stillParked += result[1];
            }
        }
        writer.commit();
        return new long[] {applied, stillParked};
    }

    List<Target> handOver() {
        writer.commit();
        List<Target> released = new ArrayList<>(targets);
        targets.clear();
        return released;
    }

    /** Something escaped the handling of an event (a bug, or an Error): stop every target, keep what was committed. */
    void fail(Throwable cause, RecordedEvent event) {
        writer.discard();
        for (Target target : targets) {
            if (!target.stopped) {
                target.stopped = true;
                target.checkpoint = target.generation.checkpoint(target.partition);
                target.generation.failures().put(target.partition, new ProjectionFailure(runtime.name(),
                        target.generation.number(), target.partition, event == null ? target.checkpoint + 1 : event.position(),
                        event == null ? null : event.id(), event == null ? "" : event.stream(), event == null ? "" : event.type(),
                        BatchWriter.describe(cause)));
            }
        }
        runtime.signalCommitted();
    }

    @Override
    public String toString() {
        return "projector " + runtime.name() + (partition >= 0 ? "#" + partition : " (catching up)") + " " + targets;
    }
}
