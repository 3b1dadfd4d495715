package dev.strata.saga;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** A test participant's memory: every call in order, and the idempotency keys it applied (applied once each). */
final class Ledger {

    private final List<String> calls = new ArrayList<>();
    private final Set<String> applied = ConcurrentHashMap.newKeySet();

    /** Records a call and applies {@code key} unless it was applied before; true if this call applied it. */
    synchronized boolean apply(String what, String key) {
        calls.add(what + " " + key);
        return applied.add(key);
    }

    synchronized void call(String what, String key) {
        calls.add(what + " " + key);
    }

    synchronized List<String> calls() {
        return List.copyOf(calls);
    }

    synchronized List<String> calls(String prefix) {
        return calls.stream().filter(call -> call.startsWith(prefix)).toList();
    }

    boolean applied(String key) {
        return applied.contains(key);
    }
}
