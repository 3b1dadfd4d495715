/** The shop's small HTTP API (the JDK's HTTP server): place an order, read orders with read-your-writes. */
package dev.strata.examples.orders.http;
