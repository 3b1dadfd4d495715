package dev.strata.eventstore;


/**
 * The rules for stream and category names. A stream name matches {@value #PATTERN}; names starting with
 * {@code $} are reserved for the system (saga logs, relay dead letters) and cannot be appended to by users.
 * The category of {@code order-42} is {@code order}: the part before the first {@code -}.
 */
public final class StreamNames {

    public static final String PATTERN = "[A-Za-z0-9][A-Za-z0-9._:@-]{0,199}";
    public static final String SYSTEM_PREFIX = "$";

    private static final String CATEGORY_RULE = "\\$?[A-Za-z0-9][A-Za-z0-9._:@]{0,199}";

    private StreamNames() {
    }

    /** Validates a stream name a user may append to. */
    public static String requireUserStream(String stream) {
        if (stream != null && stream.startsWith(SYSTEM_PREFIX)) {
            throw new ValidationException("stream", stream, "must not start with '$' (reserved for system streams)");
        }
        return requireValid("stream", stream);
    }

    /** Validates a stream name that may be read: a user stream or a system stream ({@code $} + a valid name). */
    public static String requireReadable(String stream) {
        if (stream != null && stream.startsWith(SYSTEM_PREFIX)) {
            requireValid("stream", stream.substring(1));
            return stream;
        }
        return requireValid("stream", stream);
    }

    /** Validates a system stream name: {@code $} followed by a valid stream name. */
    public static String requireSystemStream(String stream) {
        if (stream == null || !stream.startsWith(SYSTEM_PREFIX)) {
            throw new ValidationException("stream", stream, "must start with '$' (a system stream)");
        }
        requireValid("stream", stream.substring(1));
        return stream;
    }

    public static String requireCategory(String category) {
        String name = category != null && category.startsWith(SYSTEM_PREFIX) ? category.substring(1) : category;
        if (!Names.matches(name, 200, "._:@")) {
            throw new ValidationException("category", category, "must match " + CATEGORY_RULE);
        }
        return category;
    }

    public static String categoryOf(String stream) {
        int dash = stream.indexOf('-');
        return dash < 0 ? stream : stream.substring(0, dash);
    }

    private static String requireValid(String field, String stream) {
        if (!Names.matches(stream, 200, "._:@-")) {
            throw new ValidationException(field, stream, "must match " + PATTERN);
        }
        return stream;
    }
}
