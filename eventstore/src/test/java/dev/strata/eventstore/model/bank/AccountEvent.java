package dev.strata.eventstore.model.bank;

import dev.strata.eventstore.model.EventTypes;

/** What happened to a bank account. */
public sealed interface AccountEvent {

    record Opened(String owner) implements AccountEvent {
    }

    record Deposited(long amount) implements AccountEvent {
    }

    record Withdrawn(long amount) implements AccountEvent {
    }

    record Closed() implements AccountEvent {
    }

    /** The registry of the current model (revision 1 of everything). */
    EventTypes<AccountEvent> TYPES = EventTypes.builder(AccountEvent.class)
            .register("account.Opened", Opened.class)
            .register("account.Deposited", Deposited.class)
            .register("account.Withdrawn", Withdrawn.class)
            .register("account.Closed", Closed.class)
            .build();
}
