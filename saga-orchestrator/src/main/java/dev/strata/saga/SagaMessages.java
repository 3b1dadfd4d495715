package dev.strata.saga;

/**
 * The wire protocol between an orchestrator and participants reached through the store. A command is an event in
 * the participant's command stream {@code <participant>.commands}; a reply is an event in its reply stream
 * {@code <participant>.replies}. Both carry the saga coordinates as metadata (CloudEvents extensions, so they survive
 * the HTTP API and Kafka): {@code correlationid} (the saga id), {@value #SAGA_TYPE}, {@value #STEP},
 * {@value #KEY} (the idempotency key), {@value #ATTEMPT} and {@value #PHASE}; a reply adds {@value #OUTCOME}
 * ({@value #SUCCEEDED}, {@value #TRANSIENT} or {@value #PERMANENT}) and its {@code causationid} is the command's id.
 */
public final class SagaMessages {

    public static final String SAGA_TYPE = "sagatype";
    public static final String STEP = "sagastep";
    public static final String KEY = "sagakey";
    public static final String ATTEMPT = "sagaattempt";
    public static final String PHASE = "sagaphase";
    public static final String OUTCOME = "sagaoutcome";

    public static final String PHASE_ACTION = "action";
    public static final String PHASE_COMPENSATION = "compensation";
    public static final String SUCCEEDED = "succeeded";
    public static final String TRANSIENT = "transient";
    public static final String PERMANENT = "permanent";

    private SagaMessages() {
    }

    /** Where an orchestrator sends commands for {@code participant}. */
    public static String commandStream(String participant) {
        return participant + ".commands";
    }

    /** Where {@code participant} sends its replies. */
    public static String replyStream(String participant) {
        return participant + ".replies";
    }
}
