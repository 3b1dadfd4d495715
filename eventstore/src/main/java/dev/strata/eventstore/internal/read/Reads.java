package dev.strata.eventstore.internal.read;

import dev.strata.eventstore.Direction;
import dev.strata.eventstore.RecordedEvent;
import dev.strata.eventstore.StreamNames;
import dev.strata.eventstore.ValidationException;
import dev.strata.eventstore.internal.index.StreamIndex;
import java.util.OptionalLong;
import java.util.stream.Stream;

/** The finite reads of {@code EventReader}, validated at the boundary, over any {@link ReadContext} (live or read-only). */
public final class Reads {

    private Reads() {
    }

    public static Stream<RecordedEvent> stream(ReadContext context, String stream, long fromVersion, Direction direction, int limit) {
        StreamNames.requireReadable(stream);
        requireNonNegative("fromVersion", fromVersion);
        requireLimit(limit);
        if (direction == null) {
            throw new ValidationException("direction", null, "must be FORWARD or BACKWARD");
        }
        return PagedSpliterator.stream(new StreamPager(context, stream, fromVersion, direction == Direction.FORWARD), limit);
    }

    public static Stream<RecordedEvent> all(ReadContext context, long fromPosition, int limit) {
        requireNonNegative("fromPosition", fromPosition);
        requireLimit(limit);
        return PagedSpliterator.stream(new GlobalPager(context, fromPosition, false), limit);
    }

    public static Stream<RecordedEvent> category(ReadContext context, String category, long fromPosition, int limit) {
        StreamNames.requireCategory(category);
        requireNonNegative("fromPosition", fromPosition);
        requireLimit(limit);
        return PagedSpliterator.stream(new CategoryPager(context, category, fromPosition), limit);
    }

    public static OptionalLong version(ReadContext context, String stream) {
        StreamNames.requireReadable(stream);
        StreamIndex.Section last = context.index().lastSection(stream);
        return last == null ? OptionalLong.empty() : OptionalLong.of(last.lastVersion());
    }

    public static void requireNonNegative(String field, long value) {
        if (value < 0) {
            throw new ValidationException(field, value, "must be >= 0");
        }
    }

    private static void requireLimit(int limit) {
        if (limit <= 0) {
            throw new ValidationException("limit", limit, "must be > 0");
        }
    }
}
