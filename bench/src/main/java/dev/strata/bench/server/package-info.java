/**
 * The server's load generator ({@link dev.strata.bench.server.HttpLoadGenerator}): appends over HTTP on loopback, one
 * event and 100 events per request, with Server-Sent Events subscribers reading along, and the same appends on the
 * embedded store beside them. Throughput and HdrHistogram latency percentiles, printed as a markdown table.
 */
package dev.strata.bench.server;
