package dev.strata.eventstore.remote;

import java.util.Arrays;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The {@code type} URIs of the server's {@code application/problem+json} errors (RFC 9457), with the status each comes
 * with. Part of the wire contract: the server writes them, the remote client turns them back into typed exceptions.
 * A status the server has no specific type for comes as {@code about:blank}.
 */
public enum ProblemType {
    INVALID_INPUT("invalid-input", 400, "Invalid input"),
    UNAUTHORIZED("unauthorized", 401, "A valid bearer token is required"),
    FORBIDDEN("forbidden", 403, "The token does not allow this"),
    NOT_FOUND("not-found", 404, "Not found"),
    METHOD_NOT_ALLOWED("method-not-allowed", 405, "Method not allowed"),
    DUPLICATE_EVENT_ID("duplicate-event-id", 409, "An event id is already stored, and this append is not a retry of it"),
    WRONG_EXPECTED_VERSION("wrong-expected-version", 412, "The stream is not at the expected version"),
    PAYLOAD_TOO_LARGE("payload-too-large", 413, "The request body is too large"),
    URI_TOO_LONG("uri-too-long", 414, "The request URI is too long"),
    UNSUPPORTED_MEDIA_TYPE("unsupported-media-type", 415, "Unsupported content type"),
    RATE_LIMITED("rate-limited", 429, "Too many requests"),
    HEADERS_TOO_LARGE("headers-too-large", 431, "The request headers are too large"),
    STORAGE_FAILURE("storage-failure", 500, "The store could not read or write its files"),
    INTERNAL("internal", 500, "Internal server error"),
    UNAVAILABLE("unavailable", 503, "The store is not available (starting or stopping)");

    /** The common prefix of every type URI. */
    public static final String BASE = "https://strata.dev/problems/";
    public static final String MEDIA_TYPE = "application/problem+json";

    private static final Map<String, ProblemType> BY_URI = Arrays.stream(values())
            .collect(Collectors.toMap(ProblemType::uri, Function.identity()));

    private final String uri;
    private final int status;
    private final String title;

    ProblemType(String slug, int status, String title) {
        this.uri = BASE + slug;
        this.status = status;
        this.title = title;
    }

    public String uri() {
        return uri;
    }

    /** The status this type usually comes with ({@link #STORAGE_FAILURE} comes with 503 when retrying can help). */
    public int status() {
        return status;
    }

    public String title() {
        return title;
    }

    /** The type with this URI, or null (e.g. {@code about:blank}). */
    public static ProblemType fromUri(String uri) {
        return uri == null ? null : BY_URI.get(uri);
    }

    /** The type a status means when nothing more specific is known, or null. */
    public static ProblemType forStatus(int status) {
        return switch (status) {
            case 400 -> INVALID_INPUT;
            case 401 -> UNAUTHORIZED;
            case 403 -> FORBIDDEN;
            case 404 -> NOT_FOUND;
            case 405 -> METHOD_NOT_ALLOWED;
            case 409 -> DUPLICATE_EVENT_ID;
            case 412 -> WRONG_EXPECTED_VERSION;
            case 413 -> PAYLOAD_TOO_LARGE;
            case 414 -> URI_TOO_LONG;
            case 415 -> UNSUPPORTED_MEDIA_TYPE;
            case 429 -> RATE_LIMITED;
            case 431 -> HEADERS_TOO_LARGE;
            case 500 -> INTERNAL;
            case 503 -> UNAVAILABLE;
            default -> null;
        };
    }
}
