package dev.strata.saga;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.random.RandomGenerator;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SagaDefinitionTest {

    @Test
    void aDefinitionReadsInAFewLines() {
        SagaDefinition<Trip> saga = SagaDefinition.builder("trip", Trip.class)
                .businessKey(Trip::tripId)
                .deadline(Duration.ofMinutes(5))
                .step("book", step -> step.participant("hotel").action(ctx -> ctx.state().with("room")).compensation(ctx -> { })
                        .timeout(Duration.ofSeconds(3)).retry(RetryPolicy.exponential(5, Duration.ofMillis(50), Duration.ofSeconds(1))))
                .step("pay", step -> step.participant("payment").command(ctx -> ParticipantCommand.of("Charge", ctx.state())))
                .build();
        assertThat(saga.steps()).extracting(StepDefinition::name).containsExactly("book", "pay");
        assertThat(saga.step("book").orElseThrow().hasCompensation()).isTrue();
        assertThat(saga.step("pay").orElseThrow().isMessage()).isTrue();
        assertThat(saga.step("pay").orElseThrow().hasCompensation()).isFalse();
        assertThat(saga.businessKey(Trip.named("t-9"))).contains("t-9");
        assertThat(saga.deadline()).contains(Duration.ofMinutes(5));
    }

    @Test
    void badDefinitionsNameTheFieldAndTheRule() {
        assertThatThrownBy(() -> SagaDefinition.builder("order-saga", Trip.class))
                .isInstanceOf(SagaValidationException.class)
                .hasMessageContaining("saga.type must match").hasMessageContaining("'order-saga'");
        assertThatThrownBy(() -> SagaDefinition.builder("trip", Trip.class).build())
                .hasMessageContaining("steps must have at least one step");
        assertThatThrownBy(() -> SagaDefinition.builder("trip", Trip.class)
                .step("a", step -> step.participant("p").action(ctx -> ctx.state()))
                .step("a", step -> step.participant("p").action(ctx -> ctx.state())).build())
                .hasMessageContaining("step must be unique within the saga but was 'a'");
        assertThatThrownBy(() -> SagaDefinition.builder("trip", Trip.class)
                .step("a", step -> step.action(ctx -> ctx.state())).build())
                .hasMessageContaining("step 'a'.participant must match");
        assertThatThrownBy(() -> SagaDefinition.builder("trip", Trip.class)
                .step("a", step -> step.participant("p")).build())
                .hasMessageContaining("step 'a'.action must be exactly one of action(...) or command(...)");
        assertThatThrownBy(() -> SagaDefinition.builder("trip", Trip.class)
                .step("a", step -> step.participant("p").action(ctx -> ctx.state()).timeout(Duration.ZERO)).build())
                .hasMessageContaining("step 'a'.timeout must be > 0 but was PT0S");
        assertThatThrownBy(() -> SagaDefinition.builder("trip", Trip.class)
                .step("a", step -> step.participant("p").action(ctx -> ctx.state()).onReply((ctx, r) -> ctx.state())).build())
                .hasMessageContaining("onReply");
        assertThatThrownBy(() -> SagaDefinition.builder("trip", Trip.class).step("a b", step -> { }))
                .hasMessageContaining("step.name must match");
    }

    @Test
    void retryPolicyBacksOffExponentiallyWithJitterWithinItsCap() {
        RetryPolicy policy = RetryPolicy.exponential(10, Duration.ofMillis(100), Duration.ofSeconds(1));
        RandomGenerator random = new SplittableRandom(7);
        for (int failures = 1; failures <= 8; failures++) {
            long base = Math.min(1000, 100L << (failures - 1));
            for (int sample = 0; sample < 50; sample++) {
                long millis = policy.backoff(failures, random).toMillis();
                assertThat(millis).as("failure %d", failures).isBetween(base / 2, base);
            }
        }
        assertThat(policy.withJitter(0).backoff(3, random)).isEqualTo(Duration.ofMillis(400));
        assertThat(policy.allowsRetryAfter(9)).isTrue();
        assertThat(policy.allowsRetryAfter(10)).isFalse();
        assertThat(RetryPolicy.noRetry().allowsRetryAfter(1)).isFalse();
    }

    @Test
    void badPoliciesAreRefused() {
        assertThatThrownBy(() -> RetryPolicy.exponential(0, Duration.ZERO, Duration.ZERO)).hasMessageContaining("retry.maxAttempts must be >= 1 but was 0");
        assertThatThrownBy(() -> RetryPolicy.exponential(3, Duration.ofSeconds(2), Duration.ofSeconds(1))).hasMessageContaining("retry.maxBackoff");
        assertThatThrownBy(() -> RetryPolicy.exponential(3, Duration.ZERO, Duration.ZERO).withJitter(1.5)).hasMessageContaining("retry.jitter");
        assertThatThrownBy(() -> new CircuitBreakerPolicy(0f, Duration.ofSeconds(10), 5, Duration.ofSeconds(1)))
                .hasMessageContaining("circuitBreaker.failureRateThreshold");
        assertThatThrownBy(() -> new CircuitBreakerPolicy(50f, Duration.ofSeconds(10), 5, Duration.ZERO))
                .hasMessageContaining("circuitBreaker.cooldown must be > 0");
    }
}
