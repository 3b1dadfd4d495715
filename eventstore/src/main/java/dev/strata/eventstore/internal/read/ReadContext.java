package dev.strata.eventstore.internal.read;

import dev.strata.eventstore.internal.index.Sections;
import dev.strata.eventstore.internal.log.ChronicleEventLog;
import dev.strata.eventstore.internal.log.Commit;

/** What readers need from the store. */
public interface ReadContext {

    ChronicleEventLog log();

    Sections index();

    /** Waits until the index covers {@code commit}, so index reads see everything acknowledged by then. */
    void awaitIndexed(Commit commit);
}
