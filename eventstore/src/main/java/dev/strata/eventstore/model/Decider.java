package dev.strata.eventstore.model;

import dev.strata.eventstore.ValidationException;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Supplier;

/**
 * An aggregate written as three pure functions: the state before any event, the decision a command leads to,
 * and how an event changes the state. The {@link CommandHandler} loads and folds the stream, calls
 * {@link #decide}, and appends what it returns; the given/when/then fixtures in
 * {@code dev.strata.eventstore.testing} test the same three functions without a store.
 *
 * <p>All three must be pure and deterministic: no clock, no I/O, no randomness (pass those in the command).
 * {@code decide} rejects a command by throwing an exception of the user's own type; nothing is appended then.
 * States must be immutable (records): the handler's cache hands the same state to concurrent commands.
 *
 * @param <C> the commands
 * @param <E> the events (typically a sealed interface of records)
 * @param <S> the state
 */
public interface Decider<C, E, S> {

    /** The state of a stream that has no events. */
    S initialState();

    /** The events {@code command} leads to in {@code state}; empty if it changes nothing; throws to reject it. */
    List<E> decide(C command, S state);

    /** The state after {@code event}. */
    S evolve(S state, E event);

    /** A decider from three lambdas. */
    static <C, E, S> Decider<C, E, S> of(Supplier<S> initialState, BiFunction<C, S, List<E>> decide,
                                         BiFunction<S, E, S> evolve) {
        requireNonNull("initialState", initialState);
        requireNonNull("decide", decide);
        requireNonNull("evolve", evolve);
        return new Decider<>() {
            @Override
            public S initialState() {
                return initialState.get();
            }

            @Override
            public List<E> decide(C command, S state) {
                return decide.apply(command, state);
            }

            @Override
            public S evolve(S state, E event) {
                return evolve.apply(state, event);
            }
        };
    }

    private static void requireNonNull(String field, Object value) {
        if (value == null) {
            throw new ValidationException(field, null, "must not be null");
        }
    }

    /** The state after folding {@code events} over {@code state}, in order. */
    default S fold(S state, List<? extends E> events) {
        S current = state;
        for (E event : events) {
            current = evolve(current, event);
        }
        return current;
    }
}
