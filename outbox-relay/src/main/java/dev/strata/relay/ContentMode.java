package dev.strata.relay;

/**
 * How a CloudEvent travels in a Kafka record or an HTTP request (the CloudEvents protocol bindings' content modes).
 * {@link #BINARY}: the attributes in headers ({@code ce_id}, {@code ce-id}, ...), the data as the body, unchanged:
 * compact, and consumers that ignore CloudEvents still read the payload. {@link #STRUCTURED}: the whole event as one
 * {@code application/cloudevents+json} document.
 */
public enum ContentMode {
    BINARY,
    STRUCTURED
}
