package dev.strata.projections;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Queries on a projection's read model. Every query answers from the generation that serves at that moment: the
 * old one during a rebuild, the new one from the switch on (the switch is atomic; both generations hold exactly the
 * same events at that instant). A single query sees one consistent state; two queries may see different ones.
 *
 * <p>Read-your-writes: {@code model.atLeast(append.lastPosition()).get(key)} waits until the event at that position
 * has been applied (or fails with {@link ProjectionTimeoutException} or {@link ProjectionStoppedException}).
 * Thread-safe.
 */
public interface ReadModel<K, V> {

    String projection();

    /** The generation answering queries now. */
    long generation();

    /** The position up to which the answering generation has applied every event (-1 before the first). */
    long position();

    Optional<V> get(K key);

    /** Rows whose encoded key starts with the encoded {@code prefix}, in key order, at most {@code limit}. */
    List<Row<K, V>> scanPrefix(K prefix, int limit);

    /** Rows with {@code fromInclusive <= key < toExclusive} (by encoded bytes), in key order, at most {@code limit}. */
    List<Row<K, V>> scanRange(K fromInclusive, K toExclusive, int limit);

    /** This read model, with every query first waiting until {@code position} is applied (the pipeline's default timeout). */
    ReadModel<K, V> atLeast(long position);

    /** This read model, with every query first waiting up to {@code timeout} until {@code position} is applied. */
    ReadModel<K, V> atLeast(long position, Duration timeout);
}
