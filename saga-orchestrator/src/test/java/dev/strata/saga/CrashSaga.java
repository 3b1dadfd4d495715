package dev.strata.saga;

import dev.strata.eventstore.Direction;
import dev.strata.eventstore.EventData;
import dev.strata.eventstore.EventStore;
import dev.strata.eventstore.ExpectedVersion;
import dev.strata.eventstore.RecordedEvent;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The saga of the crash test, shared by the child JVM and the checks. Four steps, each a local participant that
 * records its effects durably in its own stream {@code effects-<participant>} (an {@code Applied} or
 * {@code Compensated} event carrying the idempotency key), and dedups by the keys found there.
 */
final class CrashSaga {

    static final String TYPE = "crash";
    static final int STEPS = 4;
    static final String[] PARTICIPANTS = {"inventory", "payment", "shipping", "mail"};

    private CrashSaga() {
    }

    /** Saga {@code s<i>} fails for good at step {@code i % 5} when {@code i % 3 == 0} (step 4 does not exist: completes). */
    static int failingStep(String sagaId) {
        int i = Integer.parseInt(sagaId.substring(1));
        return i % 3 == 0 ? i % 5 : -1;
    }

    static String effectsStream(String participant) {
        return "effects-" + participant;
    }

    static SagaDefinition<Trip> definition(EventStore store) {
        SagaDefinition.Builder<Trip> builder = SagaDefinition.builder(TYPE, Trip.class).businessKey(Trip::tripId);
        for (int i = 0; i < STEPS; i++) {
            int index = i;
            Participant participant = new Participant(store, PARTICIPANTS[i]);
            builder.step("step" + i, step -> step.participant(PARTICIPANTS[index])
                    .action(ctx -> {
                        if (failingStep(ctx.sagaId()) == index) {
                            throw new PermanentFailure("refused");
                        }
                        if (ThreadLocalRandom.current().nextInt(10) == 0) {
                            throw new TransientFailure("flaky");
                        }
                        participant.record("Applied", ctx.idempotencyKey());
                        return ctx.state().with(ctx.step());
                    })
                    .compensation(ctx -> participant.record("Compensated", ctx.idempotencyKey()))
                    .retry(RetryPolicy.exponential(12, Duration.ofMillis(5), Duration.ofMillis(50)))
                    .compensationRetry(RetryPolicy.exponential(12, Duration.ofMillis(5), Duration.ofMillis(50))));
        }
        return builder.build();
    }

    /** A participant whose memory of applied keys is its own stream, read back when it starts. */
    static final class Participant {
        private final EventStore store;
        private final String stream;
        private final Set<String> seen = ConcurrentHashMap.newKeySet();

        Participant(EventStore store, String name) {
            this.store = store;
            this.stream = effectsStream(name);
            try (var events = store.readStream(stream, 0, Direction.FORWARD, Integer.MAX_VALUE)) {
                events.map(RecordedEvent::dataAsString).forEach(seen::add);
            }
        }

        void record(String what, String key) throws InterruptedException {
            if (seen.contains(key)) {
                return; // done before (a retry after a crash): answer without doing it again
            }
            Thread.sleep(ThreadLocalRandom.current().nextInt(3));
            store.append(stream, ExpectedVersion.any(), EventData.json(what, key));
            seen.add(key);
        }
    }
}
