package dev.strata.server.internal;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import dev.strata.eventstore.AppendRequest;
import dev.strata.eventstore.AppendResult;
import dev.strata.eventstore.EventData;
import dev.strata.eventstore.ExpectedVersion;
import dev.strata.eventstore.StreamNames;
import dev.strata.eventstore.ValidationException;
import dev.strata.eventstore.cloudevents.CloudEventJson;
import dev.strata.eventstore.remote.ProblemType;
import dev.strata.server.AccessTokens.Caller;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.LongConsumer;
import org.eclipse.jetty.http.HttpException;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Promise;

/**
 * Appends: {@code POST /streams/{stream}} with one CloudEvent ({@value CloudEventJson#CONTENT_TYPE}) or a batch
 * ({@value CloudEventJson#BATCH_CONTENT_TYPE}), and {@code POST /streams} with several streams' events in one atomic
 * append ({@code application/json}: {@code [{"stream", "expectedVersion", "events": [CloudEvent...]}]}).
 *
 * <p>The body is read without blocking, never past the body limit; it is parsed on the thread that completed the read
 * and handed to {@link dev.strata.eventstore.EventStore#appendAsync}, whose future completes on the store's writer
 * thread: the answer is written from the server's pool, so the writer never waits on a socket.
 *
 * <p>Preconditions: none = any version; {@code If-Match: "<v>"} = exactly v; {@code If-Match: *} = the stream exists;
 * {@code If-None-Match: *} = no stream. Idempotence comes first (the store's rule): a retry of an acknowledged append
 * gets the original result even when its precondition is stale by now.
 */
final class AppendEndpoint {

    private final ApiContext context;
    private final LongConsumer onAppended;

    AppendEndpoint(ApiContext context, LongConsumer onAppended) {
        this.context = context;
        this.onAppended = onAppended;
    }

    /** {@code POST /streams/{stream}}. */
    void append(Request request, Response response, Callback callback, String stream) {
        MediaType type = MediaType.parse(request.getHeaders().get(HttpHeader.CONTENT_TYPE));
        boolean batch = type.essence().equals(CloudEventJson.BATCH_CONTENT_TYPE);
        if (!batch && !type.essence().equals(CloudEventJson.CONTENT_TYPE) || !type.isUtf8()) {
            throw unsupported(request, CloudEventJson.CONTENT_TYPE + " (one event) or " + CloudEventJson.BATCH_CONTENT_TYPE
                    + " (a JSON array of events), in UTF-8");
        }
        ExpectedVersion expected = precondition(request.getHeaders());
        readBody(request, response, callback, body -> {
            List<EventData> events = batch ? context.json().readBatch(body) : List.of(context.json().read(body));
            context.store().appendAsync(stream, expected, prepare(request, stream, events))
                    .whenCompleteAsync((result, failure) -> {
                        if (failure != null) {
                            Responses.fail(request, response, callback, failure);
                            return;
                        }
                        acknowledged(result.lastPosition(), result.eventCount());
                        response.getHeaders().put(HttpHeader.ETAG, ETags.of(result.lastVersion()));
                        response.getHeaders().put(ApiHandler.POSITION_HEADER, result.lastPosition());
                        Responses.send(request, response, callback, 201, "application/json", resultJson(List.of(result), false));
                    }, context.executor());
        });
    }

    /** {@code POST /streams}: several streams, one atomic append; the caller must be allowed to write every one of them. */
    void appendMulti(Request request, Response response, Callback callback, Caller caller) {
        MediaType type = MediaType.parse(request.getHeaders().get(HttpHeader.CONTENT_TYPE));
        if (!type.essence().equals("application/json") || !type.isUtf8()) {
            throw unsupported(request, "application/json (an array of {\"stream\", \"expectedVersion\", \"events\"}), in UTF-8");
        }
        readBody(request, response, callback, body -> {
            List<AppendRequest> requests = readRequests(body);
            for (AppendRequest part : requests) {
                StreamNames.requireUserStream(part.stream());
                if (caller != null && !caller.canWrite(part.stream())) {
                    throw ApiHandler.forbidden(caller, "write", "stream '" + part.stream() + "'");
                }
            }
            List<AppendRequest> prepared = requests.stream()
                    .map(part -> new AppendRequest(part.stream(), part.expectedVersion(), prepare(request, part.stream(), part.events())))
                    .toList();
            context.store().appendAllAsync(prepared).whenCompleteAsync((results, failure) -> {
                if (failure != null) {
                    Responses.fail(request, response, callback, failure);
                    return;
                }
                long last = results.stream().mapToLong(AppendResult::lastPosition).max().orElse(-1);
                acknowledged(last, results.stream().mapToInt(AppendResult::eventCount).sum());
                response.getHeaders().put(ApiHandler.POSITION_HEADER, last);
                Responses.send(request, response, callback, 201, "application/json", resultJson(results, true));
            }, context.executor());
        });
    }

    private void acknowledged(long lastPosition, int events) {
        context.metrics().appended(events);
        onAppended.accept(lastPosition);
    }

    /** The trace context of the request goes into the events; a source that is the default is not stored twice. */
    private List<EventData> prepare(Request request, String stream, List<EventData> events) {
        List<EventData> normalized = events.stream().map(e -> context.json().mapper().withoutDefaultSource(stream, e)).toList();
        return TraceContext.apply(request.getHeaders(), normalized);
    }

    private static HttpProblem unsupported(Request request, String expected) {
        String actual = request.getHeaders().get(HttpHeader.CONTENT_TYPE);
        return new HttpProblem(ProblemType.UNSUPPORTED_MEDIA_TYPE, "Content-Type must be " + expected + " but was "
                + (actual == null ? "missing" : "'" + Router.printable(actual) + "'"))
                .with("field", "Content-Type").with("value", actual == null ? null : Router.printable(actual));
    }

    /** The expectation the precondition headers state (none: any version). */
    static ExpectedVersion precondition(HttpFields headers) {
        List<String> ifMatch = headers.getValuesList(HttpHeader.IF_MATCH);
        List<String> ifNoneMatch = headers.getValuesList(HttpHeader.IF_NONE_MATCH);
        if (!ifMatch.isEmpty() && !ifNoneMatch.isEmpty()) {
            throw new ValidationException("If-Match", String.join(",", ifMatch), "must not be combined with If-None-Match");
        }
        if (ifMatch.size() > 1 || ifNoneMatch.size() > 1) {
            throw new ValidationException(ifMatch.isEmpty() ? "If-None-Match" : "If-Match", "several headers", "must appear once");
        }
        if (!ifNoneMatch.isEmpty()) {
            if (!ifNoneMatch.get(0).strip().equals("*")) {
                throw new ValidationException("If-None-Match", ifNoneMatch.get(0), "must be * (the stream must not exist) on an append");
            }
            return ExpectedVersion.noStream();
        }
        if (!ifMatch.isEmpty()) {
            String value = ifMatch.get(0).strip();
            if (value.equals("*")) {
                return ExpectedVersion.streamExists();
            }
            if (value.contains(",")) {
                throw new ValidationException("If-Match", value, "must name one version: an append expects exactly one");
            }
            return ExpectedVersion.exactly(ETags.parse("If-Match", value));
        }
        return ExpectedVersion.any();
    }

    /** Reads the body without blocking, never past the limit, and hands it to {@code then} (whose failures are answered). */
    private void readBody(Request request, Response response, Callback callback, Consumer<byte[]> then) {
        long length = request.getLength();
        if (length > context.limits().maxBodyBytes()) {
            throw tooLarge(length);
        }
        Content.Source.asByteArrayAsync(request, context.limits().maxBodyBytes(), new Promise.Invocable<byte[]>() {
            @Override
            public void succeeded(byte[] body) {
                try {
                    then.accept(body);
                } catch (Throwable failure) {
                    Responses.fail(request, response, callback, failure);
                }
            }

            @Override
            public void failed(Throwable failure) {
                if (failure instanceof HttpException http && http.getCode() != 413) {
                    Responses.fail(request, response, callback, HttpProblem.ofStatus(http.getCode(), http.getReason(),
                            "the request body could not be read: " + http.getReason()));
                } else if (failure instanceof HttpException || failure instanceof IllegalStateException) {
                    Responses.fail(request, response, callback, tooLarge(-1));
                } else {
                    // the client went away or stalled mid-body: nothing to answer, nothing was appended
                    callback.failed(failure);
                }
            }

            @Override
            public InvocationType getInvocationType() {
                return InvocationType.NON_BLOCKING;
            }
        });
    }

    private HttpProblem tooLarge(long length) {
        return new HttpProblem(ProblemType.PAYLOAD_TOO_LARGE, "the request body " + (length >= 0 ? "of " + length + " bytes " : "")
                + "is larger than the limit of " + context.limits().maxBodyBytes() + " bytes")
                .with("limit", context.limits().maxBodyBytes());
    }

    private List<AppendRequest> readRequests(byte[] body) {
        try (JsonParser parser = context.json().factory().createParser(body)) {
            if (parser.nextToken() != JsonToken.START_ARRAY) {
                throw new ValidationException("body", "not an array", "must be a JSON array of {\"stream\", \"expectedVersion\", \"events\"}");
            }
            List<AppendRequest> requests = new ArrayList<>();
            JsonToken token;
            while ((token = parser.nextToken()) != JsonToken.END_ARRAY) {
                String at = "[" + requests.size() + "]";
                if (token != JsonToken.START_OBJECT) {
                    throw new ValidationException(at, token, "must be an object {\"stream\", \"expectedVersion\", \"events\"}");
                }
                requests.add(readRequest(parser, at));
            }
            if (parser.nextToken() != null) {
                throw new ValidationException("body", "more after the array", "must hold exactly one JSON array");
            }
            return requests;
        } catch (JsonProcessingException e) {
            throw CloudEventJson.malformed(e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private AppendRequest readRequest(JsonParser parser, String at) throws IOException {
        String stream = null;
        ExpectedVersion expected = ExpectedVersion.any();
        List<EventData> events = null;
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String field = parser.currentName();
            JsonToken value = parser.nextToken();
            switch (field) {
                case "stream" -> {
                    if (value != JsonToken.VALUE_STRING) {
                        throw new ValidationException(at + ".stream", value, "must be a string");
                    }
                    stream = parser.getText();
                }
                case "expectedVersion" -> expected = expectedVersion(parser, value, at + ".expectedVersion");
                case "events" -> {
                    if (value != JsonToken.START_ARRAY) {
                        throw new ValidationException(at + ".events", value, "must be an array of CloudEvents");
                    }
                    events = context.json().readArray(parser, at + ".events");
                }
                default -> throw new ValidationException(at + "." + Router.printable(field), value,
                        "is not a member of an append (it has stream, expectedVersion, events)");
            }
        }
        if (stream == null) {
            throw new ValidationException(at + ".stream", null, "is required");
        }
        if (events == null) {
            throw new ValidationException(at + ".events", null, "is required");
        }
        return new AppendRequest(stream, expected, events);
    }

    private static ExpectedVersion expectedVersion(JsonParser parser, JsonToken value, String field) throws IOException {
        if (value == JsonToken.VALUE_NUMBER_INT && parser.getNumberType() == JsonParser.NumberType.LONG
                || value == JsonToken.VALUE_NUMBER_INT && parser.getNumberType() == JsonParser.NumberType.INT) {
            long version = parser.getLongValue();
            if (version < 0) {
                throw new ValidationException(field, version, "must be >= 0, or any, no-stream, stream-exists");
            }
            return ExpectedVersion.exactly(version);
        }
        if (value == JsonToken.VALUE_STRING) {
            return switch (parser.getText()) {
                case "any" -> ExpectedVersion.any();
                case "no-stream" -> ExpectedVersion.noStream();
                case "stream-exists" -> ExpectedVersion.streamExists();
                default -> throw new ValidationException(field, parser.getText(), "must be a version >= 0, or any, no-stream, stream-exists");
            };
        }
        throw new ValidationException(field, parser.getText(), "must be a version >= 0 (within 64 bits), or any, no-stream, stream-exists");
    }

    static byte[] resultJson(List<AppendResult> results, boolean array) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(128);
        try (JsonGenerator json = Responses.JSON.createGenerator(out)) {
            if (array) {
                json.writeStartArray();
            }
            for (AppendResult result : results) {
                json.writeStartObject();
                json.writeStringField("stream", result.stream());
                json.writeNumberField("firstVersion", result.firstVersion());
                json.writeNumberField("lastVersion", result.lastVersion());
                json.writeNumberField("firstPosition", result.firstPosition());
                json.writeNumberField("lastPosition", result.lastPosition());
                json.writeEndObject();
            }
            if (array) {
                json.writeEndArray();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
