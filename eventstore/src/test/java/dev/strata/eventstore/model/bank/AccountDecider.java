package dev.strata.eventstore.model.bank;

import dev.strata.eventstore.model.Decider;
import dev.strata.eventstore.model.bank.AccountCommand.Close;
import dev.strata.eventstore.model.bank.AccountCommand.Deposit;
import dev.strata.eventstore.model.bank.AccountCommand.Open;
import dev.strata.eventstore.model.bank.AccountCommand.Withdraw;
import dev.strata.eventstore.model.bank.AccountEvent.Closed;
import dev.strata.eventstore.model.bank.AccountEvent.Deposited;
import dev.strata.eventstore.model.bank.AccountEvent.Opened;
import dev.strata.eventstore.model.bank.AccountEvent.Withdrawn;
import java.util.List;

/** The sample decider: a bank account that cannot go below zero. */
public final class AccountDecider implements Decider<AccountCommand, AccountEvent, Account> {

    @Override
    public Account initialState() {
        return Account.NONE;
    }

    @Override
    public List<AccountEvent> decide(AccountCommand command, Account state) {
        if (command instanceof Open open) {
            if (state.open() || state.closed()) {
                throw new AccountRejected("account is already opened");
            }
            return List.of(new Opened(open.owner()));
        }
        if (!state.open()) {
            throw new AccountRejected(state.closed() ? "account is closed" : "account is not opened");
        }
        if (command instanceof Deposit deposit) {
            requirePositive(deposit.amount());
            return List.of(new Deposited(deposit.amount()));
        }
        if (command instanceof Withdraw withdraw) {
            requirePositive(withdraw.amount());
            if (withdraw.amount() > state.balance()) {
                throw new AccountRejected.InsufficientFunds(state.balance(), withdraw.amount());
            }
            return List.of(new Withdrawn(withdraw.amount()));
        }
        if (command instanceof Close) {
            return state.balance() == 0 ? List.of(new Closed()) : List.of(new Withdrawn(state.balance()), new Closed());
        }
        throw new IllegalArgumentException("unknown command " + command);
    }

    @Override
    public Account evolve(Account state, AccountEvent event) {
        if (event instanceof Opened opened) {
            return new Account(true, false, opened.owner(), 0);
        }
        if (event instanceof Deposited deposited) {
            return new Account(state.open(), state.closed(), state.owner(), state.balance() + deposited.amount());
        }
        if (event instanceof Withdrawn withdrawn) {
            return new Account(state.open(), state.closed(), state.owner(), state.balance() - withdrawn.amount());
        }
        if (event instanceof Closed) {
            return new Account(false, true, state.owner(), state.balance());
        }
        throw new IllegalArgumentException("unknown event " + event);
    }

    private static void requirePositive(long amount) {
        if (amount <= 0) {
            throw new AccountRejected("amount must be > 0 but was " + amount);
        }
    }
}
