/**
 * The standalone event-store server: a Strata store behind an HTTP API (docs/server.md) that curl can append to and
 * read, any Server-Sent Events client can subscribe to, and {@link dev.strata.eventstore.remote.RemoteEventStore}
 * speaks from Java. {@link dev.strata.server.StrataServer} is the front door ({@code strata server} on the command
 * line); {@link dev.strata.server.AccessTokens} and {@link dev.strata.server.RateLimit} configure who may do what, how
 * often. The HTTP layer is Jetty 12's core API without servlets (docs/adr/0001-http-library.md); it lives in
 * {@code dev.strata.server.internal}.
 *
 * <pre>
 *  client ─► Jetty connector (header cap 431) ─► GracefulHandler (503 while stopping) ─► SizeLimitHandler (413)
 *        ─► ApiHandler: route ─► authenticate (401) ─► rate limit (429) ─► authorize (403) ─► endpoint
 *             AppendEndpoint ─► EventStore.appendAsync ─► 201 on a pool thread
 *             ReadEndpoint   ─► one page of a finite read, Link rel="next"
 *             Subscriptions  ─► SSE: a page per write, paced by the client, woken by appends
 * </pre>
 */
package dev.strata.server;
