package dev.strata.relay;

import io.cloudevents.CloudEvent;

/**
 * A consumer's handler behind an {@link Inbox}. What it writes through {@code writes} commits atomically with the
 * inbox's "seen" mark, so an effect kept there happens exactly once even if the process dies at any point; effects
 * elsewhere (a database, a call) happen once per delivery that gets this far, and may happen again after a crash
 * between the effect and the mark: make those idempotent.
 */
@FunctionalInterface
public interface InboxHandler {

    /** Handles one event the first time it is delivered. Throwing records nothing: a later delivery runs it again. */
    void handle(CloudEvent event, InboxWrites writes);
}
