package dev.strata.bench.model;

import dev.strata.eventstore.model.Decider;
import dev.strata.eventstore.model.EventTypes;
import java.util.List;

/** The benchmark's model: a bank account, as small as a real rule gets (one check, one event per command). */
final class BenchAccount {

    sealed interface Command {
    }

    record Deposit(long amount) implements Command {
    }

    record Withdraw(long amount) implements Command {
    }

    sealed interface Event {
    }

    record Opened(String owner) implements Event {
    }

    record Deposited(long amount) implements Event {
    }

    record Withdrawn(long amount) implements Event {
    }

    record State(boolean open, long balance) {
    }

    static final EventTypes<Event> TYPES = EventTypes.builder(Event.class)
            .register("account.Opened", Opened.class)
            .register("account.Deposited", Deposited.class)
            .register("account.Withdrawn", Withdrawn.class)
            .build();

    static final Decider<Command, Event, State> DECIDER = Decider.of(() -> new State(false, 0),
            (command, state) -> {
                if (!state.open()) {
                    throw new IllegalStateException("account is not open");
                }
                if (command instanceof Deposit deposit) {
                    return List.of(new Deposited(deposit.amount()));
                }
                Withdraw withdraw = (Withdraw) command;
                if (withdraw.amount() > state.balance()) {
                    throw new IllegalStateException("insufficient funds");
                }
                return List.of(new Withdrawn(withdraw.amount()));
            },
            (state, event) -> {
                if (event instanceof Opened) {
                    return new State(true, 0);
                }
                if (event instanceof Deposited deposited) {
                    return new State(state.open(), state.balance() + deposited.amount());
                }
                return new State(state.open(), state.balance() - ((Withdrawn) event).amount());
            });

    private BenchAccount() {
    }
}
