package dev.strata.eventstore.testing;

import dev.strata.eventstore.EventData;
import dev.strata.eventstore.Metadata;
import dev.strata.eventstore.RecordedEvent;
import dev.strata.eventstore.model.Decider;
import dev.strata.eventstore.model.EventTypes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * Given/when/then tests for a {@link Decider}, with no store: given past events, when a command, then the events
 * it produces, or the exception that rejects it, or the state after. For users' own tests; works with any test
 * framework, since failures are plain {@link AssertionError}s whose message shows the given events, the command,
 * the expected and the actual outcome.
 *
 * <pre>{@code
 * DeciderFixture<AccountCommand, AccountEvent, Account> account = DeciderFixture.of(new AccountDecider(), TYPES);
 *
 * account.given(new Opened("acc-1", "Ada"), new Deposited(100))
 *        .when(new Withdraw(30))
 *        .then(new Withdrawn(30));
 *
 * account.given(new Opened("acc-1", "Ada"))
 *        .when(new Withdraw(30))
 *        .thenRejectedWith(InsufficientFunds.class);
 * }</pre>
 *
 * With {@link EventTypes} (recommended), every given and produced event also goes through JSON and back the way the
 * store would keep it, so an unregistered class or an event that does not survive serialization fails the test.
 */
public final class DeciderFixture<C, E, S> {

    private final Decider<C, E, S> decider;
    private final EventTypes<E> types;

    private DeciderFixture(Decider<C, E, S> decider, EventTypes<E> types) {
        this.decider = Objects.requireNonNull(decider, "decider");
        this.types = types;
    }

    /** A fixture that calls the decider directly. */
    public static <C, E, S> DeciderFixture<C, E, S> of(Decider<C, E, S> decider) {
        return new DeciderFixture<>(decider, null);
    }

    /** A fixture that also round-trips every event through {@code types} (JSON), as the store would. */
    public static <C, E, S> DeciderFixture<C, E, S> of(Decider<C, E, S> decider, EventTypes<E> types) {
        return new DeciderFixture<>(decider, Objects.requireNonNull(types, "types"));
    }

    /** The stream's past: these events, in order (none for a new stream). */
    @SafeVarargs
    public final Given<C, E, S> given(E... events) {
        return given(List.of(events));
    }

    public Given<C, E, S> given(List<E> events) {
        return new Given<>(this, List.copyOf(events));
    }

    /** The past events, folded. */
    public static final class Given<C, E, S> {
        private final DeciderFixture<C, E, S> fixture;
        private final List<E> events;

        private Given(DeciderFixture<C, E, S> fixture, List<E> events) {
            this.fixture = fixture;
            this.events = events;
        }

        /** Decides {@code command} on the state the given events fold to. */
        public When<C, E, S> when(C command) {
            Objects.requireNonNull(command, "command");
            S state = fixture.decider.initialState();
            for (int i = 0; i < events.size(); i++) {
                E event = fixture.roundTrip(events.get(i), "given event [" + i + "]");
                try {
                    state = fixture.decider.evolve(state, event);
                } catch (RuntimeException e) {
                    throw new AssertionError("evolve failed on given event [" + i + "] " + event + ": " + e, e);
                }
            }
            List<E> produced = null;
            RuntimeException rejection = null;
            try {
                produced = fixture.decider.decide(command, state);
                if (produced == null) {
                    throw new AssertionError("decide(" + command + ") returned null; it must return a list (empty when nothing changes)");
                }
                produced = List.copyOf(produced);
            } catch (RuntimeException e) {
                rejection = e;
            }
            return new When<>(fixture, events, command, state, produced, rejection);
        }
    }

    /** The outcome of the command: assert it with one of the {@code then} methods. */
    public static final class When<C, E, S> {
        private final DeciderFixture<C, E, S> fixture;
        private final List<E> given;
        private final C command;
        private final S stateBefore;
        private final List<E> produced;
        private final RuntimeException rejection;

        private When(DeciderFixture<C, E, S> fixture, List<E> given, C command, S stateBefore, List<E> produced,
                     RuntimeException rejection) {
            this.fixture = fixture;
            this.given = given;
            this.command = command;
            this.stateBefore = stateBefore;
            this.produced = produced;
            this.rejection = rejection;
        }

        /** The command produced exactly these events, in this order ({@code then()}: no events at all). */
        @SafeVarargs
        public final When<C, E, S> then(E... expected) {
            return then(List.of(expected));
        }

        public When<C, E, S> then(List<E> expected) {
            List<E> actual = accepted("to produce " + (expected.isEmpty() ? "no events" : "the events"), expected);
            if (!actual.equals(expected)) {
                int at = firstDifference(expected, actual);
                throw new AssertionError(scenario() + "\nexpected the events\n" + list(expected)
                        + "\nbut it produced\n" + list(actual) + "\nfirst difference at [" + at + "]: expected "
                        + (at < expected.size() ? expected.get(at) : "nothing") + ", actual "
                        + (at < actual.size() ? actual.get(at) : "nothing"));
            }
            for (int i = 0; i < actual.size(); i++) {
                fixture.roundTrip(actual.get(i), "produced event [" + i + "]");
            }
            return this;
        }

        /** The command was rejected with an exception of {@code type} (or a subtype), which is returned for more checks. */
        public <X extends Throwable> X thenRejectedWith(Class<X> type) {
            Objects.requireNonNull(type, "type");
            if (rejection == null) {
                throw new AssertionError(scenario() + "\nexpected a rejection with " + type.getName()
                        + "\nbut it was accepted and produced\n" + list(produced));
            }
            if (!type.isInstance(rejection)) {
                throw new AssertionError(scenario() + "\nexpected a rejection with " + type.getName()
                        + "\nbut it was rejected with " + rejection, rejection);
            }
            return type.cast(rejection);
        }

        /** The state after the given events and the produced ones equals {@code expected}. */
        public When<C, E, S> thenState(S expected) {
            List<E> actual = accepted("to lead to the state", List.of());
            S after = fixture.decider.fold(stateBefore, actual);
            if (!Objects.equals(after, expected)) {
                throw new AssertionError(scenario() + "\nexpected the state\n    " + expected + "\nbut it is\n    " + after
                        + "\nafter the events\n" + list(actual));
            }
            return this;
        }

        /** The events produced (for assertions of one's own); fails if the command was rejected. */
        public List<E> events() {
            return accepted("to be accepted", List.of());
        }

        private List<E> accepted(String expectation, List<E> expected) {
            if (rejection != null) {
                throw new AssertionError(scenario() + "\nexpected it " + expectation
                        + (expected.isEmpty() ? "" : "\n" + list(expected))
                        + "\nbut it was rejected with " + rejection, rejection);
            }
            return produced;
        }

        private String scenario() {
            return "given\n" + (given.isEmpty() ? "    (no events)" : list(given)) + "\nwhen\n    " + command;
        }

        private static <T> int firstDifference(List<T> expected, List<T> actual) {
            int at = 0;
            while (at < expected.size() && at < actual.size() && Objects.equals(expected.get(at), actual.get(at))) {
                at++;
            }
            return at;
        }

        private static String list(List<?> events) {
            if (events.isEmpty()) {
                return "    (no events)";
            }
            StringBuilder out = new StringBuilder();
            for (int i = 0; i < events.size(); i++) {
                if (i > 0) {
                    out.append('\n');
                }
                out.append("    [").append(i).append("] ").append(events.get(i));
            }
            return out.toString();
        }
    }

    /** {@code event} written as the store keeps it and read back; must come back equal. */
    private E roundTrip(E event, String what) {
        if (types == null) {
            return event;
        }
        EventData data;
        try {
            data = types.encode(event, UUID.randomUUID(), Metadata.empty());
        } catch (RuntimeException e) {
            throw new AssertionError(what + " " + event + " cannot be stored: " + e.getMessage(), e);
        }
        RecordedEvent stored = new RecordedEvent(data.id(), "fixture", 0, 0, data.type(), Instant.EPOCH,
                data.contentType(), data.metadata(), data.data());
        List<E> read;
        try {
            read = types.decode(stored);
        } catch (RuntimeException e) {
            throw new AssertionError(what + " " + event + " was stored as " + stored.dataAsString()
                    + " but cannot be read back: " + e.getMessage(), e);
        }
        if (read.size() != 1 || !read.get(0).equals(event)) {
            throw new AssertionError(what + " " + event + " does not survive serialization: stored as "
                    + stored.dataAsString() + ", read back as " + read);
        }
        return read.get(0);
    }
}
