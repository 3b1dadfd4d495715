/**
 * {@code strata demo}: the example as a command (registered through {@link dev.strata.cli.CommandProvider}, replacing
 * the built-in tour of the store). Two orders and their timelines by default; {@code --serve} for the HTTP API;
 * {@code --load N} for a throughput run with checks.
 */
package dev.strata.examples.orders.demo;
