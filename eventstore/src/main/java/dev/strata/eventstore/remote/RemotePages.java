package dev.strata.eventstore.remote;

import dev.strata.eventstore.RecordedEvent;
import dev.strata.eventstore.cloudevents.CloudEventJson;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * A finite remote read as a lazy {@link Stream}: one {@code GET} per page, the next page fetched only when the
 * previous one is consumed, and only while the server says more follow ({@code Link: <...>; rel="next"}).
 */
final class RemotePages extends Spliterators.AbstractSpliterator<RecordedEvent> {

    static final String POSITION_HEADER = "Strata-Position";
    private static final Pattern NEXT = Pattern.compile(".*;\\s*rel=\"?next\"?.*");

    /** How to ask for a page, and where the page after an event starts. */
    interface Query {
        String path(long from, int count);

        long after(RecordedEvent last);
    }

    private final ServerConnection connection;
    private final CloudEventJson json;
    private final Query query;
    private final int pageSize;
    private long remaining;
    private long from;
    private List<RecordedEvent> page = List.of();
    private int next;
    private boolean more = true;

    private RemotePages(ServerConnection connection, CloudEventJson json, long limit, int pageSize, long from, Query query) {
        super(limit, Spliterator.ORDERED | Spliterator.NONNULL | Spliterator.IMMUTABLE);
        this.connection = connection;
        this.json = json;
        this.query = query;
        this.pageSize = pageSize;
        this.remaining = limit;
        this.from = from;
    }

    static Stream<RecordedEvent> stream(ServerConnection connection, CloudEventJson json, long limit, int pageSize, long from,
                                        Query query) {
        return StreamSupport.stream(new RemotePages(connection, json, limit, pageSize, from, query), false);
    }

    @Override
    public boolean tryAdvance(Consumer<? super RecordedEvent> action) {
        if (next == page.size()) {
            if (!more || remaining == 0 || from < 0) {
                return false;
            }
            fetch();
            if (page.isEmpty()) {
                more = false;
                return false;
            }
        }
        remaining--;
        action.accept(page.get(next++));
        return true;
    }

    private void fetch() {
        int count = (int) Math.min(pageSize, remaining);
        HttpResponse<byte[]> response = connection.send(connection.request(query.path(from, count))
                .header("Accept", CloudEventJson.BATCH_CONTENT_TYPE).GET().build(), false);
        next = 0;
        if (response.statusCode() == 404 && response.headers().firstValue("Content-Type").orElse("").startsWith(ProblemType.MEDIA_TYPE)
                && ProblemType.NOT_FOUND.uri().equals(ServerConnection.json(response.body()).path("type").asText())) {
            page = List.of(); // a stream that does not exist reads as empty
            return;
        }
        if (response.statusCode() != 200) {
            throw ServerConnection.failure(response, null, null);
        }
        page = json.readRecordedBatch(response.body());
        more = response.headers().allValues("Link").stream().anyMatch(link -> NEXT.matcher(link).matches());
        if (!page.isEmpty()) {
            from = query.after(page.get(page.size() - 1));
        }
    }
}
