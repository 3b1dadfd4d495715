/**
 * Strata's benchmarks. {@code strata bench} (package {@code cli}) is the front door: the load generator's workloads
 * ({@code load}: the append driver with fixed-rate, coordinated-omission-corrected latency; {@code workloads}: reads,
 * subscriptions, projections), the systems they run against ({@code peers}: Strata, Axon on PostgreSQL, a plain
 * PostgreSQL table, a Kafka producer, and the raw limits: Chronicle append, fsync group commit, RocksDB WriteBatch),
 * the whole comparison in one run ({@code suite}) and the report it writes ({@code report}: RESULTS.md and SVG
 * charts). JMH suites of the hot paths ({@code *Benchmark}) run through {@link dev.strata.bench.JmhMain}, which
 * gives every fork the JVM flags Chronicle needs. How to run them and how figures are computed: docs/benchmarks.md.
 */
package dev.strata.bench;
