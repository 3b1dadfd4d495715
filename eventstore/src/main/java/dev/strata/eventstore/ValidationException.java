package dev.strata.eventstore;

/**
 * Bad input: a value that breaks a rule of the API. Nothing was written. The message names the field,
 * the value and the rule, e.g. {@code stream must match [A-Za-z0-9][A-Za-z0-9._:@-]{0,199} but was 'a/b'}.
 */
public class ValidationException extends EventStoreException {

    private final String field;
    private final String value;
    private final String rule;

    public ValidationException(String field, Object value, String rule) {
        super(field + " " + rule + " but was " + describe(value));
        this.field = field;
        this.value = String.valueOf(value);
        this.rule = rule;
    }

    public String field() {
        return field;
    }

    public String value() {
        return value;
    }

    public String rule() {
        return rule;
    }

    private static String describe(Object value) {
        if (value == null) {
            return "null";
        }
        if (value instanceof CharSequence text) {
            String shown = text.length() > 80 ? text.subSequence(0, 80) + "..." : text.toString();
            StringBuilder escaped = new StringBuilder("'");
            shown.codePoints().forEach(c -> {
                if (c < 0x20 || c == 0x7f) {
                    escaped.append(String.format("\\u%04x", c));
                } else {
                    escaped.appendCodePoint(c);
                }
            });
            return escaped.append('\'').toString();
        }
        return value.toString();
    }
}
