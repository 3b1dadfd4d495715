package dev.strata.eventstore.model.bank;

/** What a bank account can be asked to do. */
public sealed interface AccountCommand {

    record Open(String owner) implements AccountCommand {
    }

    record Deposit(long amount) implements AccountCommand {
    }

    record Withdraw(long amount) implements AccountCommand {
    }

    /** Moves the whole balance out and closes the account: two events from one command. */
    record Close() implements AccountCommand {
    }
}
