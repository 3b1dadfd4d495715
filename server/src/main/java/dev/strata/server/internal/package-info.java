/**
 * The server's HTTP layer on Jetty 12's core API (not public API): {@link dev.strata.server.internal.ApiHandler} routes,
 * authenticates and limits; {@code AppendEndpoint}, {@code ReadEndpoint} and {@link dev.strata.server.internal.Subscriptions}
 * serve the requests; {@link dev.strata.server.internal.HttpProblem} and {@code Responses} write every error as
 * {@code application/problem+json}, {@link dev.strata.server.internal.ProblemErrorHandler} the errors Jetty finds itself.
 * Nothing here blocks a selector thread: bodies are read asynchronously, reads and subscription pages run on the pool.
 */
package dev.strata.server.internal;
