package dev.strata.server.internal;

import dev.strata.eventstore.ValidationException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The query string of a request, read strictly: every parameter must be one the route knows and appear once, and
 * numbers are decimal digits within 64 bits. A bad parameter is a 400 naming it, never a silent default.
 */
final class QueryParameters {

    private final Map<String, String> values;

    private QueryParameters(Map<String, String> values) {
        this.values = values;
    }

    static QueryParameters parse(String rawQuery, Set<String> allowed) {
        Map<String, String> values = new LinkedHashMap<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return new QueryParameters(values);
        }
        for (String pair : rawQuery.split("&", -1)) {
            if (pair.isEmpty()) {
                continue;
            }
            int equals = pair.indexOf('=');
            String name = decode("query parameter name", equals < 0 ? pair : pair.substring(0, equals));
            String value = equals < 0 ? "" : decode(name, pair.substring(equals + 1));
            if (!allowed.contains(name)) {
                throw new ValidationException(Router.printable(name), value,
                        "is not a parameter of this request (it takes " + String.join(", ", allowed) + ")");
            }
            if (values.put(name, value) != null) {
                throw new ValidationException(name, value, "must appear only once");
            }
        }
        return new QueryParameters(values);
    }

    private static String decode(String field, String raw) {
        return Router.decode(field, raw.replace('+', ' '));
    }

    String text(String name) {
        return values.get(name);
    }

    /** A version or position: decimal digits, >= 0, within 64 bits; {@code otherwise} when absent. */
    long nonNegative(String name, long otherwise) {
        String value = values.get(name);
        return value == null ? otherwise : parseNonNegative(name, value);
    }

    static long parseNonNegative(String name, String value) {
        if (value.isEmpty() || value.length() > 19 || !value.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new ValidationException(name, value, "must be a whole number >= 0 written in decimal digits, within 64 bits");
        }
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new ValidationException(name, value, "must be a whole number >= 0 written in decimal digits, within 64 bits");
        }
    }

    /** A page size: 1 or more, capped at {@code max} (a larger one is not an error: {@code Link rel="next"} goes on). */
    int limit(int otherwise, int max) {
        String value = values.get("limit");
        if (value == null) {
            return Math.min(otherwise, max);
        }
        long limit = parseNonNegative("limit", value);
        if (limit == 0) {
            throw new ValidationException("limit", value, "must be >= 1");
        }
        return (int) Math.min(limit, max);
    }
}
