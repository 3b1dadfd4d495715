package dev.strata.saga;

/**
 * A search of the saga view: every criterion that is set must match (null = any); at most {@code limit} results,
 * ordered by saga stream name.
 */
public record SagaQuery(String sagaType, String sagaId, SagaStatus status, String businessKey, int limit) {

    public static final int DEFAULT_LIMIT = 100;

    public SagaQuery {
        if (limit < 1) {
            throw new SagaValidationException("query.limit", limit, "must be >= 1");
        }
    }

    /** Every saga (up to {@link #DEFAULT_LIMIT}). */
    public static SagaQuery all() {
        return new SagaQuery(null, null, null, null, DEFAULT_LIMIT);
    }

    public SagaQuery type(String type) {
        return new SagaQuery(type, sagaId, status, businessKey, limit);
    }

    public SagaQuery id(String id) {
        return new SagaQuery(sagaType, id, status, businessKey, limit);
    }

    public SagaQuery status(SagaStatus wanted) {
        return new SagaQuery(sagaType, sagaId, wanted, businessKey, limit);
    }

    public SagaQuery businessKey(String key) {
        return new SagaQuery(sagaType, sagaId, status, key, limit);
    }

    public SagaQuery limit(int max) {
        return new SagaQuery(sagaType, sagaId, status, businessKey, max);
    }

    public boolean matches(SagaSummary summary) {
        return (sagaType == null || sagaType.equals(summary.sagaType()))
                && (sagaId == null || sagaId.equals(summary.sagaId()))
                && (status == null || status == summary.status())
                && (businessKey == null || businessKey.equals(summary.businessKey()));
    }
}
