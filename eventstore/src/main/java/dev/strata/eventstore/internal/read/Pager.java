package dev.strata.eventstore.internal.read;

import dev.strata.eventstore.RecordedEvent;
import java.util.List;

/** Fetches a read in pages, remembering where the last page ended. One thread at a time. */
public interface Pager {

    /**
     * Adds at most {@code max} next events to {@code page}.
     *
     * @return false when nothing can follow this page (the read is complete)
     */
    boolean fill(List<RecordedEvent> page, int max);
}
