package dev.strata.eventstore.model.bank;

/** A command the account's rules refuse. */
public class AccountRejected extends RuntimeException {

    public AccountRejected(String message) {
        super(message);
    }

    /** A withdrawal larger than the balance. */
    public static final class InsufficientFunds extends AccountRejected {
        public InsufficientFunds(long balance, long requested) {
            super("balance " + balance + " is less than the " + requested + " requested");
        }
    }
}
