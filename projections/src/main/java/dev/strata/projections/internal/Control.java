package dev.strata.projections.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/** A command every projector of a ring sees, in order with the events; each acts on it if it concerns it. */
interface Control {

    void run(Projector projector);

    /** Counts the projectors that must act on a command, and runs {@code then} after the last one did. */
    final class Countdown {
        private final AtomicInteger left;
        private final CountDownLatch done = new CountDownLatch(1);
        private final Runnable then;

        Countdown(int parties, Runnable then) {
            this.left = new AtomicInteger(parties);
            this.then = then;
            if (parties == 0) {
                finish();
            }
        }

        void countDown() {
            if (left.decrementAndGet() == 0) {
                finish();
            }
        }

        private void finish() {
            try {
                then.run();
            } finally {
                done.countDown();
            }
        }

        boolean await(long timeout, TimeUnit unit) {
            try {
                return done.await(timeout, unit);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
    }

    /** The live ring's projector of each target's partition takes the target over (a rebuild joins, a resume rejoins). */
    record Adopt(ProjectionRuntime runtime, List<Target> targets, Countdown countdown) implements Control {
        @Override
        public void run(Projector projector) {
            if (projector.runtime() != runtime || projector.partition() < 0) {
                return;
            }
            List<Target> mine = new ArrayList<>();
            for (Target target : targets) {
                if (target.partition == projector.partition()) {
                    mine.add(target);
                }
            }
            if (!mine.isEmpty()) {
                projector.adopt(mine);
                countdown.countDown();
            }
        }
    }

    /** The live ring's projectors drop the targets of {@code generation} (switched away from, or a cancelled rebuild). */
    record Retire(ProjectionRuntime runtime, Generation generation, Countdown countdown) implements Control {
        @Override
        public void run(Projector projector) {
            if (projector.runtime() == runtime && projector.partition() >= 0) {
                projector.retire(generation);
                countdown.countDown();
            }
        }
    }

    /** The live ring's projectors give up their stopped targets (to catch up elsewhere after a resume). */
    record DetachStopped(ProjectionRuntime runtime, List<Target> detached, Countdown countdown) implements Control {
        @Override
        public void run(Projector projector) {
            if (projector.runtime() == runtime && projector.partition() >= 0) {
                List<Target> stopped = projector.detachStopped();
                synchronized (detached) {
                    detached.addAll(stopped);
                }
                countdown.countDown();
            }
        }
    }

    /** The live ring's projectors apply parked events again, for one key or all. */
    record RetryParked(ProjectionRuntime runtime, String key, AtomicLong applied, AtomicLong stillParked,
                       Countdown countdown) implements Control {
        @Override
        public void run(Projector projector) {
            if (projector.runtime() == runtime && projector.partition() >= 0) {
                try {
                    long[] result = projector.retryParked(key);
                    applied.addAndGet(result[0]);
                    stillParked.addAndGet(result[1]);
                } finally {
                    countdown.countDown();
                }
            }
        }
    }

    /** Every projector of a catching-up ring commits and gives its targets up: the ring reached the head. */
    record HandOver(List<Target> targets, Countdown countdown) implements Control {
        @Override
        public void run(Projector projector) {
            List<Target> released = projector.handOver();
            synchronized (targets) {
                targets.addAll(released);
            }
            countdown.countDown();
        }
    }
}
