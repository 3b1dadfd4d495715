/**
 * The remote client: {@link dev.strata.eventstore.remote.RemoteEventStore} implements
 * {@link dev.strata.eventstore.EventStore} over the Strata server's HTTP API (docs/server.md) with nothing but the JDK's
 * {@link java.net.http.HttpClient} and the CloudEvents JSON format of {@link dev.strata.eventstore.cloudevents.CloudEventJson},
 * so an application switches between an embedded store and a server by configuration. It passes the same contract
 * suite as the embedded store.
 *
 * <p>Failures come back typed: a {@code 400} problem is a {@link dev.strata.eventstore.ValidationException} with the
 * server's field, value and rule; a {@code 412} a {@link dev.strata.eventstore.WrongExpectedVersionException} with the
 * actual version; a {@code 409} a {@link dev.strata.eventstore.DuplicateEventIdException}; a server that cannot be
 * reached a retryable {@link dev.strata.eventstore.StorageException}; what only HTTP has (401, 403, 429...) a
 * {@link dev.strata.eventstore.remote.RemoteStoreException}. {@link dev.strata.eventstore.remote.ProblemType} is the
 * vocabulary of problem types both sides share.
 */
package dev.strata.eventstore.remote;
