package dev.strata.server.internal;

import dev.strata.eventstore.EventData;
import dev.strata.eventstore.Metadata;
import java.util.List;
import java.util.regex.Pattern;
import org.eclipse.jetty.http.HttpFields;

/**
 * W3C Trace Context from the request: a valid {@code traceparent} header (and its {@code tracestate}) goes into the
 * metadata of every appended event that does not carry its own, so the trace follows the event to its readers. An
 * invalid header is ignored, as the W3C recommendation says. A retry must repeat the same header (or carry the
 * trace in the events): the store recognises a retry only when the events are identical, metadata included.
 */
final class TraceContext {

    private static final Pattern TRACEPARENT = Pattern.compile("[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}");
    private static final Pattern ALL_ZERO = Pattern.compile("0+");

    private TraceContext() {
    }

    static List<EventData> apply(HttpFields headers, List<EventData> events) {
        String traceparent = headers.get("traceparent");
        if (traceparent == null || !valid(traceparent.strip())) {
            return events;
        }
        String parent = traceparent.strip();
        String state = headers.get("tracestate");
        boolean keepState = state != null && !state.isBlank() && state.length() <= Metadata.MAX_VALUE_LENGTH;
        return events.stream().map(event -> {
            if (event.metadata().traceparent().isPresent()) {
                return event;
            }
            Metadata metadata = event.metadata().with(Metadata.TRACEPARENT, parent);
            if (keepState && event.metadata().get(Metadata.TRACESTATE).isEmpty()) {
                metadata = metadata.with(Metadata.TRACESTATE, state.strip());
            }
            return event.withMetadata(metadata);
        }).toList();
    }

    static boolean valid(String traceparent) {
        if (!TRACEPARENT.matcher(traceparent).matches() || traceparent.startsWith("ff")) {
            return false;
        }
        String traceId = traceparent.substring(3, 35);
        String spanId = traceparent.substring(36, 52);
        return !ALL_ZERO.matcher(traceId).matches() && !ALL_ZERO.matcher(spanId).matches();
    }
}
