/**
 * Benchmarks of the write model: {@link dev.strata.bench.model.CommandHandlerBenchmark} measures commands per second
 * through a command handler (load, decide, append) on many streams, with and without the hot cache and snapshots.
 */
package dev.strata.bench.model;
