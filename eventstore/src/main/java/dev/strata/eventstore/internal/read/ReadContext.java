package dev.strata.eventstore.internal.read;

import dev.strata.eventstore.internal.index.Sections;
import dev.strata.eventstore.internal.log.ChronicleEventLog;
import dev.strata.eventstore.internal.log.Commit;
import dev.strata.eventstore.internal.log.LogCursor;

/** What readers need from the store. */
public interface ReadContext {

    ChronicleEventLog log();

    /** A cursor for one read (from a pool where there is one); close it when the read is done. */
    LogCursor cursor();

    Sections index();

    /** Waits until the index covers {@code commit}, so index reads see everything acknowledged by then. */
    void awaitIndexed(Commit commit);
}
