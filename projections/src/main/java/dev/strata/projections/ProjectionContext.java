package dev.strata.projections;

import java.util.List;
import java.util.Optional;

/**
 * What a handler writes through: the read model of one generation, as it stands with the writes of the current
 * batch applied (reads see earlier writes of the same batch, so read-modify-write works). Everything written for
 * an event commits together with the projection's checkpoint, or not at all.
 *
 * <p>Valid only during the {@link Projection#handle} call it was passed to, on that thread.
 */
public interface ProjectionContext<K, V> {

    Optional<V> get(K key);

    void put(K key, V value);

    void delete(K key);

    /** Rows whose encoded key starts with the encoded {@code prefix}, in key order, at most {@code limit}. */
    List<Row<K, V>> scanPrefix(K prefix, int limit);

    /** The generation being written. */
    long generation();

    /**
     * True while the event is applied to a generation that is being rebuilt (or replayed offline): work outside
     * the read model must not run then, because it already ran when the event was first handled.
     */
    boolean replaying();

    /**
     * Work outside the read model (a notification, a call to another system) that must run only when the event is
     * handled live, never during a rebuild or a replay. It runs on the pipeline thread right after the handler
     * returns successfully, and before the batch commits: at least once. After a crash it runs again for the
     * events after the last checkpoint, so it should be idempotent (use the event id as the key). If it throws,
     * the event is treated as poison.
     */
    void sideEffect(Runnable effect);
}
