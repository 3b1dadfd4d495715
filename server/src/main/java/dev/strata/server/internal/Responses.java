package dev.strata.server.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.strata.eventstore.remote.ProblemType;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.Map;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Writes whole answers: a body with its type and length, or a problem. */
final class Responses {

    private static final Logger LOG = LoggerFactory.getLogger(Responses.class);
    static final JsonFactory JSON = new JsonFactory();

    private Responses() {
    }

    /** A complete answer; a HEAD request gets the headers (with the length) and no body. */
    static void send(Request request, Response response, Callback callback, int status, String contentType, byte[] body) {
        response.setStatus(status);
        if (contentType != null) {
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
        }
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
        if (request.getMethod().equals("HEAD")) {
            response.write(true, null, callback);
        } else {
            response.write(true, ByteBuffer.wrap(body), callback);
        }
    }

    /** An answer without a body (304, HEAD). */
    static void empty(Response response, Callback callback, int status) {
        response.setStatus(status);
        response.write(true, null, callback);
    }

    /** Writes {@code failure} as a problem, or fails the exchange if the answer has already begun. */
    static void fail(Request request, Response response, Callback callback, Throwable failure) {
        HttpProblem problem = HttpProblem.from(failure);
        if (problem.status() >= 500) {
            LOG.warn("{} {} failed with {}: {}", request.getMethod(), Router.printable(request.getHttpURI().getPath()),
                    problem.status(), problem.detail(), problem.getCause());
        }
        if (response.isCommitted()) {
            callback.failed(failure);
            return;
        }
        try {
            response.reset();
        } catch (IllegalStateException e) {
            callback.failed(failure);
            return;
        }
        problem.headers().forEach(response.getHeaders()::put);
        send(request, response, callback, problem.status(), ProblemType.MEDIA_TYPE, problemJson(problem));
    }

    static byte[] problemJson(HttpProblem problem) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (JsonGenerator json = JSON.createGenerator(out)) {
            json.writeStartObject();
            json.writeStringField("type", problem.type());
            json.writeStringField("title", problem.title());
            json.writeNumberField("status", problem.status());
            json.writeStringField("detail", problem.detail());
            for (Map.Entry<String, Object> member : problem.members().entrySet()) {
                json.writeFieldName(member.getKey());
                Object value = member.getValue();
                if (value == null) {
                    json.writeNull();
                } else if (value instanceof Number number) {
                    json.writeNumber(number.longValue());
                } else if (value instanceof Boolean flag) {
                    json.writeBoolean(flag);
                } else {
                    json.writeString(value.toString());
                }
            }
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
