package dev.strata.saga;

import dev.strata.eventstore.Direction;
import dev.strata.eventstore.EventAppender;
import dev.strata.eventstore.EventReader;
import dev.strata.eventstore.ExpectedVersion;
import dev.strata.eventstore.Metadata;
import dev.strata.eventstore.RecordedEvent;
import dev.strata.eventstore.WrongExpectedVersionException;
import dev.strata.saga.internal.SagaEventCodec;
import dev.strata.saga.internal.SummaryFold;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The saga log as data, for tools that have no saga definitions (the command line, operators' scripts): stream
 * names, reading a saga's transitions, and the operator's retry of a stuck saga.
 */
public final class SagaLog {

    /** The category of every saga stream: subscribe to it to follow all sagas. */
    public static final String CATEGORY = "$saga";

    public static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:@-]{0,127}");

    private SagaLog() {
    }

    /** {@code $saga-<type>-<id>}. */
    public static String streamName(String sagaType, String sagaId) {
        return CATEGORY + "-" + SagaDefinition.requireType(sagaType) + "-" + requireId(sagaId);
    }

    public static String requireId(String sagaId) {
        if (sagaId == null || !ID.matcher(sagaId).matches()) {
            throw new SagaValidationException("sagaId", sagaId, "must match " + ID.pattern());
        }
        return sagaId;
    }

    /** The saga's transitions, in order; empty if there is no such saga. */
    public static List<RecordedEvent> read(EventReader reader, String sagaType, String sagaId) {
        String stream = streamName(sagaType, sagaId);
        try (var events = reader.readStream(stream, 0, Direction.FORWARD, Integer.MAX_VALUE)) {
            return events.toList();
        }
    }

    public static SagaEvent decode(RecordedEvent event) {
        return SagaEventCodec.decode(event);
    }

    /** The saga's summary folded from its stream (always current, unlike the view, which may lag). */
    public static Optional<SagaSummary> summary(EventReader reader, String sagaType, String sagaId) {
        SagaSummary summary = null;
        for (RecordedEvent event : read(reader, sagaType, sagaId)) {
            summary = SummaryFold.apply(summary, SagaEventCodec.decode(event), event);
        }
        return Optional.ofNullable(summary);
    }

    /**
     * Every saga matching {@code query}, folded from the log (the {@code $saga} category) in memory: for tools that
     * read a snapshot of the store beside a running application, where the saga view's folder is in use. Costs a
     * read of every saga event; the application's {@link SagaView} answers the same from its index.
     */
    public static List<SagaSummary> search(EventReader reader, SagaQuery query) {
        if (query == null) {
            throw new SagaValidationException("query", null, "must not be null");
        }
        Map<String, SagaSummary> byStream = new TreeMap<>();
        try (Stream<RecordedEvent> events = reader.readCategory(CATEGORY, 0, Integer.MAX_VALUE)) {
            events.filter(event -> SagaEventCodec.isSagaEvent(event.type())).forEach(event ->
                    byStream.put(event.stream(), SummaryFold.apply(byStream.get(event.stream()), SagaEventCodec.decode(event), event)));
        }
        return byStream.values().stream().filter(query::matches).limit(query.limit()).toList();
    }

    /**
     * Records an operator's retry of a {@link SagaStatus#STUCK} saga: its compensation is tried again (with a fresh
     * failure count) by the orchestrator that runs this saga type, at once if it is this process's
     * {@link SagaOrchestrator#retry}, else when the application next starts. Appends with the exact version read, so a
     * concurrent change fails this call rather than being overwritten.
     *
     * @throws SagaNotFoundException if there is no such saga
     * @throws SagaStateException    if the saga is not stuck, or changed while this call ran
     */
    public static SagaSummary retry(EventReader reader, EventAppender systemAppender, String sagaType, String sagaId, String reason) {
        SagaSummary summary = summary(reader, sagaType, sagaId).orElseThrow(() -> new SagaNotFoundException(sagaType, sagaId));
        if (summary.status() != SagaStatus.STUCK) {
            throw new SagaStateException(sagaType, sagaId, summary.status(), "only a STUCK saga can be retried");
        }
        String why = reason == null || reason.isBlank() ? "operator retry" : reason;
        SagaEvent.SagaRetried retried = new SagaEvent.SagaRetried(why);
        try {
            systemAppender.append(summary.stream(), ExpectedVersion.exactly(summary.version()),
                    SagaEventCodec.encode(retried, Metadata.empty().with(Metadata.CORRELATION_ID, sagaId)));
        } catch (WrongExpectedVersionException e) {
            throw new SagaStateException(sagaType, sagaId, null, "changed while being retried (now at version " + e.actualVersion() + ")");
        }
        return summary(reader, sagaType, sagaId).orElseThrow();
    }
}
