package dev.strata.server.internal;

import dev.strata.eventstore.ValidationException;

/** Stream versions as strong entity tags ({@code "42"}), and the parsing of the precondition headers that carry them. */
final class ETags {

    private ETags() {
    }

    static String of(long version) {
        return "\"" + version + "\"";
    }

    /**
     * A version from an entity tag such as {@code "42"}: quoted decimal digits, no sign, within 64 bits. Weak tags
     * ({@code W/"42"}) are refused: a stream version is exact.
     */
    static long parse(String header, String tag) {
        String trimmed = tag.strip();
        if (trimmed.length() < 3 || trimmed.charAt(0) != '"' || trimmed.charAt(trimmed.length() - 1) != '"') {
            throw new ValidationException(header, trimmed, "must be * or a stream version as a quoted entity tag, e.g. \"3\"");
        }
        String digits = trimmed.substring(1, trimmed.length() - 1);
        if (digits.length() > 19 || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new ValidationException(header, trimmed, "must quote a stream version: decimal digits within 64 bits");
        }
        try {
            return Long.parseLong(digits);
        } catch (NumberFormatException e) {
            throw new ValidationException(header, trimmed, "must quote a stream version: decimal digits within 64 bits");
        }
    }
}
