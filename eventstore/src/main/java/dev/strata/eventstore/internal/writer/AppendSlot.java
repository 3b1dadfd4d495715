package dev.strata.eventstore.internal.writer;

import dev.strata.eventstore.AppendResult;
import dev.strata.eventstore.internal.codec.EncodedAppend;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** A slot of the append ring: a request from an appender to the writer, reused for the ring's lifetime. */
public final class AppendSlot {

    public enum Kind { APPEND, SYNC }

    Kind kind;
    EncodedAppend append;
    // One of the two: a single-stream append completes with its result, a multi-stream one with the list.
    CompletableFuture<AppendResult> single;
    CompletableFuture<List<AppendResult>> multi;

    // Filled by the writer; read only by the writer until it completes the future.
    List<AppendResult> results;
    RuntimeException failure;

    public void set(Kind kind, EncodedAppend append, CompletableFuture<AppendResult> single, CompletableFuture<List<AppendResult>> multi) {
        this.kind = kind;
        this.append = append;
        this.single = single;
        this.multi = multi;
        this.results = null;
        this.failure = null;
    }

    void complete() {
        if (single != null) {
            if (failure != null) {
                single.completeExceptionally(failure);
            } else {
                single.complete(results.get(0));
            }
        } else if (multi != null) {
            if (failure != null) {
                multi.completeExceptionally(failure);
            } else {
                multi.complete(results);
            }
        }
    }

    /** Fails the appender's future (the ring's exception handler, when the writer itself failed). */
    public void fail(Throwable cause) {
        failure = cause instanceof RuntimeException runtime ? runtime : new IllegalStateException(cause);
        complete();
    }

    void clear() {
        append = null;
        single = null;
        multi = null;
        results = null;
        failure = null;
    }
}
