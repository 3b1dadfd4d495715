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
    CompletableFuture<List<AppendResult>> future;

    // Filled by the writer; read only by the writer until it completes the future.
    List<AppendResult> results;
    RuntimeException failure;

    public void set(Kind kind, EncodedAppend append, CompletableFuture<List<AppendResult>> future) {
        this.kind = kind;
        this.append = append;
        this.future = future;
        this.results = null;
        this.failure = null;
    }

    /** The appender's future, for the ring's exception handler. */
    public CompletableFuture<List<AppendResult>> future() {
        return future;
    }

    void clear() {
        append = null;
        future = null;
        results = null;
        failure = null;
    }
}
