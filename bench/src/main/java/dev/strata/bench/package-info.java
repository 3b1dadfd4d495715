/**
 * Strata's benchmarks: JMH suites for the hot paths ({@code *Benchmark}) and the load generator, each measured
 * beside a raw baseline in the same run (raw Chronicle append, raw fsync loop, raw RocksDB WriteBatch, a raw
 * Kafka producer). Figures and the commands that reproduce them are in {@code bench/RESULTS.md}.
 *
 * <p>Run JMH through {@link dev.strata.bench.JmhMain}, which gives every fork the JVM flags Chronicle needs.
 */
package dev.strata.bench;
