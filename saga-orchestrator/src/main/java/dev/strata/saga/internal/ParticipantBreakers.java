package dev.strata.saga.internal;

import dev.strata.saga.CircuitBreakerPolicy;
import dev.strata.saga.CircuitState;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * One circuit breaker per participant, on resilience4j 2.4.
 *
 * <p>Why resilience4j rather than our own: the state machine is small but its concurrency is not (a time-based
 * sliding window updated by many sagas at once; exactly one probe in half-open while other callers are refused; a
 * probe's outcome racing a new window). resilience4j has these right and tested, takes an injected {@link Clock} for
 * both the window and the open-to-half-open transition (so tests drive it with a fake clock), and brings nothing
 * but slf4j. We configure it to transition lazily (on the next permission request, no timer thread of its own),
 * with one permitted call in half-open, and we report outcomes ourselves: a permanent failure is a business answer
 * from a healthy participant and counts as a success; a deadline or an open circuit is not the participant's doing
 * and is not counted.
 */
public final class ParticipantBreakers {

    private final Clock clock;
    private final CircuitBreakerPolicy defaultPolicy;
    private final Map<String, CircuitBreakerPolicy> policies;
    private final Map<String, CircuitBreaker> breakers = new ConcurrentHashMap<>();

    public ParticipantBreakers(Clock clock, CircuitBreakerPolicy defaultPolicy, Map<String, CircuitBreakerPolicy> policies) {
        this.clock = clock;
        this.defaultPolicy = defaultPolicy;
        this.policies = Map.copyOf(policies);
    }

    private CircuitBreaker breaker(String participant) {
        return breakers.computeIfAbsent(participant, name -> CircuitBreaker.of(name, config(policy(name))));
    }

    public CircuitBreakerPolicy policy(String participant) {
        return policies.getOrDefault(participant, defaultPolicy);
    }

    private CircuitBreakerConfig config(CircuitBreakerPolicy policy) {
        return CircuitBreakerConfig.custom()
                .failureRateThreshold(policy.failureRateThreshold())
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.TIME_BASED)
                .slidingWindowSize((int) Math.max(1, policy.window().toSeconds()))
                .minimumNumberOfCalls(policy.minimumCalls())
                .waitDurationInOpenState(policy.cooldown())
                .permittedNumberOfCallsInHalfOpenState(1)
                .automaticTransitionFromOpenToHalfOpenEnabled(false)
                .slowCallRateThreshold(100f)
                .slowCallDurationThreshold(Duration.ofDays(1))
                .clock(clock)
                .build();
    }

    /** Asks for a call; false while open (or while the half-open probe is out). A true must be followed by exactly one report. */
    public boolean tryAcquire(String participant) {
        return breaker(participant).tryAcquirePermission();
    }

    public void succeeded(String participant, long nanos) {
        breaker(participant).onSuccess(nanos, TimeUnit.NANOSECONDS);
    }

    public void failed(String participant, long nanos, Throwable cause) {
        breaker(participant).onError(nanos, TimeUnit.NANOSECONDS, cause);
    }

    /** Gives a permission back without counting an outcome. */
    public void release(String participant) {
        breaker(participant).releasePermission();
    }

    public CircuitState state(String participant) {
        return switch (breaker(participant).getState()) {
            case OPEN, FORCED_OPEN -> CircuitState.OPEN;
            case HALF_OPEN -> CircuitState.HALF_OPEN;
            default -> CircuitState.CLOSED;
        };
    }

    /** How long a saga waiting on an open breaker sleeps before asking again. */
    public Duration pollInterval(String participant) {
        Duration cooldown = policy(participant).cooldown();
        Duration tenth = cooldown.dividedBy(10);
        return tenth.compareTo(Duration.ofMillis(10)) < 0 ? Duration.ofMillis(10)
                : tenth.compareTo(Duration.ofSeconds(1)) > 0 ? Duration.ofSeconds(1) : tenth;
    }
}
