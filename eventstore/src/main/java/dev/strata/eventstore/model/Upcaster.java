package dev.strata.eventstore.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.strata.eventstore.ValidationException;
import java.util.List;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * Turns revision {@code fromRevision} of event type {@code type} into newer events, on read. Registered with
 * {@link EventTypesBuilder#upcaster}; the registry chains them: an old event goes through the upcaster for its
 * (type, revision), then through the one for each result's (type, revision), until every result is at the
 * current revision of a registered type. Stored events are never rewritten.
 *
 * <p>An upcaster may rename fields, change values, give the event another type name, or split it into several
 * events; every event it returns must have a revision greater than {@code fromRevision} (so a chain ends). The
 * factories cover the common cases: {@link #transform}, {@link #renameField}, {@link #renameType}.
 *
 * @param type         the type name it reads
 * @param fromRevision the revision it reads
 * @param upcast       the old event to its newer form(s)
 */
public record Upcaster(String type, int fromRevision, Function<JsonEvent, List<JsonEvent>> upcast) {

    public Upcaster {
        if (type == null || type.isEmpty()) {
            throw new ValidationException("upcaster.type", type, "must not be empty");
        }
        if (fromRevision < 1) {
            throw new ValidationException("upcaster.fromRevision", fromRevision, "must be >= 1");
        }
        if (upcast == null) {
            throw new ValidationException("upcaster.upcast", null, "must not be null");
        }
    }

    /** Revision {@code fromRevision} of {@code type} to revision {@code fromRevision + 1}, same type, data changed by {@code change}. */
    public static Upcaster transform(String type, int fromRevision, UnaryOperator<ObjectNode> change) {
        return new Upcaster(type, fromRevision,
                event -> List.of(new JsonEvent(type, fromRevision + 1, change.apply(event.data()))));
    }

    /** Revision {@code fromRevision} of {@code type} to {@code fromRevision + 1} with field {@code from} renamed {@code to}. */
    public static Upcaster renameField(String type, int fromRevision, String from, String to) {
        return transform(type, fromRevision, data -> {
            JsonNode value = data.remove(from);
            if (value != null) {
                data.set(to, value);
            }
            return data;
        });
    }

    /** Revision {@code fromRevision} of {@code oldType} becomes revision {@code fromRevision + 1} of {@code newType}, data unchanged. */
    public static Upcaster renameType(String oldType, int fromRevision, String newType) {
        return new Upcaster(oldType, fromRevision,
                event -> List.of(new JsonEvent(newType, fromRevision + 1, event.data())));
    }
}
