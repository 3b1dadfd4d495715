package dev.strata.saga;

import dev.strata.eventstore.RecordedEvent;
import dev.strata.projections.DecodedEvent;
import dev.strata.projections.KeyCodec;
import dev.strata.projections.Projection;
import dev.strata.projections.ProjectionContext;
import dev.strata.projections.ValueCodec;
import dev.strata.saga.internal.SagaEventCodec;
import dev.strata.saga.internal.SagaJson;
import dev.strata.saga.internal.SummaryFold;
import java.util.ArrayList;
import java.util.List;

/**
 * The saga view as a projection: one {@link SagaSummary} per saga, kept from the {@code $saga-...} streams, with
 * index entries for the searches. {@link SagaView#open} runs it in a pipeline of its own; an application may also
 * add it to its own pipeline.
 *
 * <h2>Keys (UTF-8 strings, {@code \0} between parts; every value is the saga's summary as JSON)</h2>
 * <pre>
 *   r \0 stream                  the row
 *   t \0 type     \0 stream      by saga type
 *   s \0 status   \0 stream      by status
 *   b \0 busKey   \0 stream      by business key
 *   i \0 sagaId   \0 stream      by saga id (across types)
 * </pre>
 * Index entries carry the summary too, so a search reads one range. Format version 1; bump {@link #generation()}
 * when the layout or the fold changes, and the pipeline rebuilds the view from the log while the old one serves.
 */
public final class SagaProjection implements Projection<String, SagaSummary> {

    public static final String NAME = "sagas";

    private static final ValueCodec<SagaSummary> VALUES = ValueCodec.json(SagaSummary.class, SagaJson.mapper());

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public long generation() {
        return 1;
    }

    @Override
    public KeyCodec<String> keyCodec() {
        return KeyCodec.string();
    }

    @Override
    public ValueCodec<SagaSummary> valueCodec() {
        return VALUES;
    }

    @Override
    public void handle(DecodedEvent decoded, ProjectionContext<String, SagaSummary> model) {
        RecordedEvent event = decoded.event();
        if (!SagaLog.CATEGORY.equals(event.category()) || !SagaEventCodec.isSagaEvent(event.type())) {
            return;
        }
        String row = rowKey(event.stream());
        SagaSummary previous = model.get(row).orElse(null);
        SagaSummary next = SummaryFold.apply(previous, SagaEventCodec.decode(event), event);
        if (previous != null) {
            indexKeys(previous).forEach(model::delete);
        }
        model.put(row, next);
        for (String index : indexKeys(next)) {
            model.put(index, next);
        }
    }

    /** The key of the row of the saga whose stream is {@code stream}. */
    public static String rowKey(String stream) {
        return "r\0" + stream;
    }

    /** The key prefix that answers {@code query} best (the most selective criterion set), the rows if none. */
    public static String prefixFor(SagaQuery query) {
        if (query.sagaId() != null) {
            return "i\0" + query.sagaId() + "\0";
        }
        if (query.businessKey() != null) {
            return "b\0" + query.businessKey() + "\0";
        }
        if (query.status() != null) {
            return "s\0" + query.status().name() + "\0";
        }
        if (query.sagaType() != null) {
            return "t\0" + query.sagaType() + "\0";
        }
        return "r\0";
    }

    private static List<String> indexKeys(SagaSummary summary) {
        String stream = summary.stream();
        List<String> keys = new ArrayList<>(4);
        keys.add("t\0" + summary.sagaType() + "\0" + stream);
        keys.add("s\0" + summary.status().name() + "\0" + stream);
        keys.add("i\0" + summary.sagaId() + "\0" + stream);
        if (summary.businessKey() != null) {
            keys.add("b\0" + summary.businessKey() + "\0" + stream);
        }
        return keys;
    }
}
