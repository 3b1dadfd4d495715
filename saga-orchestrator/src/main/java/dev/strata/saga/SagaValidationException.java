package dev.strata.saga;

/**
 * Bad input to the saga API (a definition, a saga id, a policy): the message names the field, the value and the
 * rule. Nothing was written.
 */
public class SagaValidationException extends SagaException {

    private final String field;
    private final String value;
    private final String rule;

    public SagaValidationException(String field, Object value, String rule) {
        super(field + " " + rule + " but was " + (value instanceof CharSequence ? "'" + value + "'" : String.valueOf(value)));
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
}
