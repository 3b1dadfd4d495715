/**
 * The read models: projections of the four services' events into RocksDB, registered through one
 * {@link dev.strata.projections.ProjectionProvider} so the application and {@code strata replay} agree on them.
 * {@code order-list} (one row per order, joined from every service), {@code stock-levels} (per product),
 * {@code order-counts} (per status).
 */
package dev.strata.examples.orders.readmodel;
