package dev.strata.eventstore.model;

import dev.strata.eventstore.ValidationException;
import dev.strata.eventstore.internal.model.StateSchema;
import java.util.regex.Pattern;

/**
 * When a {@link CommandHandler} snapshots a stream's state, and the fingerprint that says which model a snapshot
 * belongs to.
 *
 * <h2>When</h2>
 * After a command's append, if the stream has {@code everyEvents} or more events beyond the newest usable snapshot,
 * the state is snapshotted at the version just written. Loading then starts from the snapshot and reads only the
 * events after it.
 *
 * <h2>Never stale</h2>
 * Each snapshot carries a fingerprint: {@code revision} (a string the user bumps whenever {@code evolve} changes
 * meaning, e.g. a fixed bug) plus a hash of the state type's shape (its record components and their types,
 * recursively), so a changed state class invalidates old snapshots by itself. A snapshot whose fingerprint is not
 * the model's is ignored (the state is folded from the events) and replaced by the next snapshot taken.
 *
 * <h2>The state type</h2>
 * It is stored as JSON through the event types' Jackson mapper, so it must round-trip through Jackson: a record
 * does; a sealed interface needs Jackson's {@code @JsonTypeInfo}/{@code @JsonSubTypes}. A snapshot that cannot be
 * read back is ignored and counted ({@code strata.snapshots{action="ignored"}}), never trusted.
 *
 * @param <S> the state type
 */
public final class SnapshotPolicy<S> {

    private static final Pattern REVISION = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    private final int everyEvents;
    private final Class<S> stateType;
    private final String revision;
    private final String fingerprint;

    private SnapshotPolicy(int everyEvents, Class<S> stateType, String revision) {
        if (everyEvents < 1) {
            throw new ValidationException("snapshot everyEvents", everyEvents, "must be >= 1");
        }
        if (stateType == null) {
            throw new ValidationException("snapshot stateType", null, "must not be null");
        }
        if (revision == null || !REVISION.matcher(revision).matches()) {
            throw new ValidationException("snapshot revision", revision, "must match " + REVISION.pattern());
        }
        this.everyEvents = everyEvents;
        this.stateType = stateType;
        this.revision = revision;
        this.fingerprint = revision + "-" + StateSchema.hash(stateType);
    }

    /** Snapshot every {@code everyEvents} events; {@code revision} is the model revision the user bumps when {@code evolve} changes. */
    public static <S> SnapshotPolicy<S> every(int everyEvents, Class<S> stateType, String revision) {
        return new SnapshotPolicy<>(everyEvents, stateType, revision);
    }

    public int everyEvents() {
        return everyEvents;
    }

    public Class<S> stateType() {
        return stateType;
    }

    public String revision() {
        return revision;
    }

    /** {@code <revision>-<16 hex digits of the state shape's SHA-256>}: what a snapshot must carry to be used. */
    public String fingerprint() {
        return fingerprint;
    }

    @Override
    public String toString() {
        return "SnapshotPolicy[every " + everyEvents + " events, " + stateType.getSimpleName() + ", fingerprint " + fingerprint + "]";
    }
}
