package dev.strata.eventstore;

/**
 * Hand-written checks for the name rules of the API (stream names, types, content types, metadata keys): they run
 * on every append, where regular expressions cost more than the rest of the validation together. Each method is
 * equivalent to the pattern named in its comment.
 */
final class Names {

    private Names() {
    }

    private static boolean alnum(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    }

    /** {@code [A-Za-z0-9][A-Za-z0-9<extra>]{0,max-1}} */
    static boolean matches(String text, int max, String extra) {
        if (text == null) {
            return false;
        }
        int length = text.length();
        if (length == 0 || length > max || !alnum(text.charAt(0))) {
            return false;
        }
        for (int i = 1; i < length; i++) {
            char c = text.charAt(i);
            if (!alnum(c) && extra.indexOf(c) < 0) {
                return false;
            }
        }
        return true;
    }

    /** {@code [a-z0-9]{1,20}} */
    static boolean isExtensionName(String key) {
        if (key == null || key.isEmpty() || key.length() > 20) {
            return false;
        }
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))) {
                return false;
            }
        }
        return true;
    }

    /**
     * A media type: {@code type/subtype} of token characters (64 at most each), optionally followed by parameters
     * ({@code ;} then printable ASCII, 120 characters at most).
     */
    static boolean isMediaType(String text) {
        if (text == null) {
            return false;
        }
        if (text.equals(EventData.JSON)) {
            return true; // nearly every event: skip the parse (every event data record checks this)
        }
        int slash = text.indexOf('/');
        if (slash < 1) {
            return false;
        }
        int semicolon = text.indexOf(';', slash);
        int subtypeEnd = semicolon < 0 ? text.length() : semicolon;
        while (subtypeEnd > slash + 1 && text.charAt(subtypeEnd - 1) == ' ' && semicolon >= 0) {
            subtypeEnd--;
        }
        if (!matches(text.substring(0, slash), 64, "!#$&^_.+-") || !matches(text.substring(slash + 1, subtypeEnd), 64, "!#$&^_.+-")) {
            return false;
        }
        if (semicolon < 0) {
            return true;
        }
        int parameters = text.length() - semicolon - 1;
        if (parameters < 1 || parameters > 120) {
            return false;
        }
        for (int i = semicolon + 1; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < ' ' || c > '~') {
                return false;
            }
        }
        return true;
    }
}
