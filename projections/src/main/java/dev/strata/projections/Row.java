package dev.strata.projections;

/** One row of a read model. */
public record Row<K, V>(K key, V value) {
}
