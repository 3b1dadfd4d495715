package dev.strata.server.internal;

import dev.strata.eventstore.CorruptLogException;
import dev.strata.eventstore.DuplicateEventIdException;
import dev.strata.eventstore.StorageException;
import dev.strata.eventstore.StoreClosedException;
import dev.strata.eventstore.StreamVersions;
import dev.strata.eventstore.ValidationException;
import dev.strata.eventstore.WrongExpectedVersionException;
import dev.strata.eventstore.remote.ProblemType;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletionException;

/**
 * An error answer: status, RFC 9457 problem members ({@code type}, {@code title}, {@code detail}, plus members that
 * help, such as {@code actualVersion}) and headers. Thrown by the endpoints where they detect the problem and written
 * by {@link ApiHandler} as {@code application/problem+json}; {@link #from(Throwable)} translates the store's typed
 * exceptions.
 */
public final class HttpProblem extends RuntimeException {

    private final int status;
    private final String type;
    private final String title;
    private final String detail;
    private final Map<String, Object> members = new LinkedHashMap<>();
    private final Map<String, String> headers = new LinkedHashMap<>();

    public HttpProblem(ProblemType type, String detail) {
        this(type.status(), type.uri(), type.title(), detail, null);
    }

    public HttpProblem(int status, String type, String title, String detail, Throwable cause) {
        super(detail, cause, false, false);
        this.status = status;
        this.type = type;
        this.title = title;
        this.detail = detail;
    }

    /** A problem for a status that has no type of its own. */
    public static HttpProblem ofStatus(int status, String title, String detail) {
        ProblemType known = ProblemType.forStatus(status);
        return known != null ? new HttpProblem(status, known.uri(), known.title(), detail, null)
                : new HttpProblem(status, "about:blank", title, detail, null);
    }

    /** Bad input, naming the field, the value and the rule as a {@link ValidationException} does. */
    public static HttpProblem invalid(ValidationException e) {
        return new HttpProblem(ProblemType.INVALID_INPUT, e.getMessage())
                .with("field", e.field()).with("value", e.value()).with("rule", e.rule());
    }

    /** The store's failure as an answer. */
    public static HttpProblem from(Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        if (cause instanceof HttpProblem problem) {
            return problem;
        }
        if (cause instanceof ValidationException e) {
            return invalid(e);
        }
        if (cause instanceof WrongExpectedVersionException e) {
            HttpProblem problem = new HttpProblem(ProblemType.WRONG_EXPECTED_VERSION, e.getMessage())
                    .with("stream", e.stream()).with("expectedVersion", e.expected().toString()).with("actualVersion", e.actualVersion());
            if (e.actualVersion() != StreamVersions.NO_STREAM) {
                problem.header("ETag", ETags.of(e.actualVersion()));
            }
            return problem;
        }
        if (cause instanceof DuplicateEventIdException e) {
            return new HttpProblem(ProblemType.DUPLICATE_EVENT_ID, e.getMessage())
                    .with("eventId", e.eventId().toString()).with("stream", e.stream()).with("storedStream", e.storedStream())
                    .with("storedPosition", e.storedPosition()).with("reason", e.reason());
        }
        if (cause instanceof StoreClosedException e) {
            return new HttpProblem(ProblemType.UNAVAILABLE, e.getMessage());
        }
        if (cause instanceof CorruptLogException e) {
            return new HttpProblem(500, ProblemType.STORAGE_FAILURE.uri(), ProblemType.STORAGE_FAILURE.title(), e.getMessage(), e)
                    .with("retryable", false).with("outcomeUnknown", false);
        }
        if (cause instanceof StorageException e) {
            int status = e.isRetryable() ? 503 : 500;
            return new HttpProblem(status, ProblemType.STORAGE_FAILURE.uri(), ProblemType.STORAGE_FAILURE.title(), e.getMessage(), e)
                    .with("retryable", e.isRetryable()).with("outcomeUnknown", e.outcomeUnknown());
        }
        return new HttpProblem(500, ProblemType.INTERNAL.uri(), ProblemType.INTERNAL.title(),
                "the server failed to handle the request (see its log)", cause);
    }

    public HttpProblem with(String member, Object value) {
        members.put(member, value);
        return this;
    }

    public HttpProblem header(String name, String value) {
        headers.put(name, value);
        return this;
    }

    public int status() {
        return status;
    }

    public String type() {
        return type;
    }

    public String title() {
        return title;
    }

    public String detail() {
        return detail;
    }

    public Map<String, Object> members() {
        return members;
    }

    public Map<String, String> headers() {
        return headers;
    }
}
