package dev.strata.server.internal;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.strata.eventstore.Direction;
import dev.strata.eventstore.RecordedEvent;
import dev.strata.eventstore.StreamVersions;
import dev.strata.eventstore.ValidationException;
import dev.strata.eventstore.cloudevents.CloudEventJson;
import dev.strata.eventstore.remote.ProblemType;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import java.util.stream.Stream;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Finite reads, one page per request: {@code GET /streams/{stream}}, {@code GET /all}, {@code GET /categories/{c}}
 * answer {@value CloudEventJson#BATCH_CONTENT_TYPE} with at most {@code limit} events (capped by the server's page
 * limit, and cut after about {@code maxPageBytes}), and {@code Link: <...>; rel="next"} when more follow (the page reads
 * one event more than it returns to know). Every read answer carries {@code Strata-Position}: the head position when
 * the read began (everything at or below it was visible to it). {@code HEAD} answers the same headers without reading
 * a page: the remote client's {@code streamVersion} and {@code headPosition}.
 *
 * <p>Query parameters are parsed on the request thread; the read itself runs on the server's pool (it may touch the
 * disk).
 */
final class ReadEndpoint {

    static final Set<String> STREAM_PARAMETERS = Set.of("from", "limit", "direction");
    static final Set<String> POSITION_PARAMETERS = Set.of("from", "limit");

    private final ApiContext context;

    ReadEndpoint(ApiContext context) {
        this.context = context;
    }

    void readStream(Request request, Response response, Callback callback, String stream) {
        QueryParameters query = QueryParameters.parse(request.getHttpURI().getQuery(), STREAM_PARAMETERS);
        boolean forward = forward(query);
        long from = query.nonNegative("from", forward ? 0 : StreamVersions.END);
        int limit = query.limit(context.limits().defaultPageEvents(), context.limits().maxPageEvents());
        String direction = forward ? "forward" : "backward";
        context.executor().execute(() -> {
            try {
                long head = context.store().headPosition();
                OptionalLong version = context.store().streamVersion(stream);
                if (version.isEmpty()) {
                    throw new HttpProblem(ProblemType.NOT_FOUND, "stream '" + stream + "' does not exist").with("stream", stream);
                }
                response.getHeaders().put(ApiHandler.POSITION_HEADER, head);
                if (notModified(request, ETags.of(version.getAsLong()))) {
                    response.getHeaders().put(HttpHeader.ETAG, ETags.of(version.getAsLong()));
                    Responses.empty(response, callback, 304);
                    return;
                }
                if (request.getMethod().equals("HEAD")) {
                    response.getHeaders().put(HttpHeader.ETAG, ETags.of(version.getAsLong()));
                    Responses.empty(response, callback, 200);
                    return;
                }
                Page page = Page.collect(context.store().readStream(stream, from, forward ? Direction.FORWARD : Direction.BACKWARD,
                        limit + 1), limit, context.limits().maxPageBytes(), context.json());
                long current = page.last == null ? version.getAsLong() : Math.max(version.getAsLong(), page.maxVersion);
                response.getHeaders().put(HttpHeader.ETAG, ETags.of(current));
                if (page.more) {
                    long next = forward ? page.last.version() + 1 : page.last.version() - 1;
                    if (next >= 0) {
                        link(response, "/streams/" + stream + "?from=" + next + "&limit=" + limit + "&direction=" + direction);
                    }
                }
                Responses.send(request, response, callback, 200, CloudEventJson.BATCH_CONTENT_TYPE, page.body);
            } catch (Throwable failure) {
                Responses.fail(request, response, callback, failure);
            }
        });
    }

    void readAll(Request request, Response response, Callback callback) {
        QueryParameters query = QueryParameters.parse(request.getHttpURI().getQuery(), POSITION_PARAMETERS);
        long from = query.nonNegative("from", 0);
        int limit = query.limit(context.limits().defaultPageEvents(), context.limits().maxPageEvents());
        readPositions(request, response, callback, "/all", from, limit, () -> context.store().readAll(from, limit + 1));
    }

    void readCategory(Request request, Response response, Callback callback, String category) {
        QueryParameters query = QueryParameters.parse(request.getHttpURI().getQuery(), POSITION_PARAMETERS);
        long from = query.nonNegative("from", 0);
        int limit = query.limit(context.limits().defaultPageEvents(), context.limits().maxPageEvents());
        readPositions(request, response, callback, "/categories/" + category, from, limit,
                () -> context.store().readCategory(category, from, limit + 1));
    }

    private void readPositions(Request request, Response response, Callback callback, String path, long from, int limit,
                               java.util.function.Supplier<Stream<RecordedEvent>> read) {
        context.executor().execute(() -> {
            try {
                long head = context.store().headPosition();
                response.getHeaders().put(ApiHandler.POSITION_HEADER, head);
                if (request.getMethod().equals("HEAD")) {
                    Responses.empty(response, callback, 200);
                    return;
                }
                Page page = Page.collect(read.get(), limit, context.limits().maxPageBytes(), context.json());
                if (page.more) {
                    link(response, path + "?from=" + (page.last.position() + 1) + "&limit=" + limit);
                }
                Responses.send(request, response, callback, 200, CloudEventJson.BATCH_CONTENT_TYPE, page.body);
            } catch (Throwable failure) {
                Responses.fail(request, response, callback, failure);
            }
        });
    }

    static boolean forward(QueryParameters query) {
        String direction = query.text("direction");
        if (direction == null || direction.equals("forward")) {
            return true;
        }
        if (direction.equals("backward")) {
            return false;
        }
        throw new ValidationException("direction", direction, "must be forward or backward");
    }

    private static void link(Response response, String next) {
        response.getHeaders().put(HttpHeader.LINK, "<" + next + ">; rel=\"next\"");
    }

    /** {@code If-None-Match} on a read: {@code *} or a list of tags, compared weakly (RFC 9110 13.1.2). */
    private static boolean notModified(Request request, String etag) {
        List<String> values = request.getHeaders().getValuesList(HttpHeader.IF_NONE_MATCH);
        for (String value : values) {
            for (String tag : value.split(",")) {
                String trimmed = tag.strip();
                if (trimmed.startsWith("W/")) {
                    trimmed = trimmed.substring(2);
                }
                if (trimmed.equals("*") || trimmed.equals(etag)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** One page of a read, written as a JSON array; it read one event more than the limit to know whether more follow. */
    static final class Page {
        byte[] body;
        int count;
        RecordedEvent last;
        long maxVersion = -1;
        boolean more;

        static Page collect(Stream<RecordedEvent> events, int limit, int maxBytes, CloudEventJson json) {
            Page page = new Page();
            ByteArrayOutputStream out = new ByteArrayOutputStream(4096);
            long approximateBytes = 0;
            try (events; JsonGenerator generator = Responses.JSON.createGenerator(out)) {
                Iterator<RecordedEvent> iterator = events.iterator();
                generator.writeStartArray();
                while (page.count < limit && iterator.hasNext()) {
                    if (page.count > 0 && approximateBytes >= maxBytes) {
                        break; // a page of big events ends early; the link goes on from here
                    }
                    RecordedEvent event = iterator.next();
                    json.write(event, generator);
                    approximateBytes += 400 + event.data().length * 4L / 3;
                    page.count++;
                    page.last = event;
                    page.maxVersion = Math.max(page.maxVersion, event.version());
                }
                page.more = iterator.hasNext();
                generator.writeEndArray();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            page.body = out.toByteArray();
            return page;
        }
    }
}
