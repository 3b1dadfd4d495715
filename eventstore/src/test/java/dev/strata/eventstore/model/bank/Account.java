package dev.strata.eventstore.model.bank;

/** A bank account's state: all a decision needs. */
public record Account(boolean open, boolean closed, String owner, long balance) {

    public static final Account NONE = new Account(false, false, null, 0);
}
