package dev.strata.relay;

/** Writes a handler makes to the inbox's own key-value state, committed with the event's "seen" mark. */
public interface InboxWrites {

    void put(byte[] key, byte[] value);

    void delete(byte[] key);
}
