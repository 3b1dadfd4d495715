package dev.strata.saga;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * A saga: a type name, a typed state, and steps run in order, each with an action and an optional compensation.
 * Pure data and functions: test it without a store with {@link dev.strata.saga.testing.SagaFixture}, run it with a
 * {@link SagaOrchestrator}.
 *
 * <pre>{@code
 * SagaDefinition<Order> saga = SagaDefinition.builder("order", Order.class)
 *     .businessKey(Order::orderId)
 *     .step("reserve", step -> step.participant("inventory")
 *         .action(ctx -> ctx.state().reserved(inventory.reserve(ctx.idempotencyKey(), ctx.state().items())))
 *         .compensation(ctx -> inventory.release(ctx.idempotencyKey())))
 *     .step("charge", step -> step.participant("payment")
 *         .command(ctx -> ParticipantCommand.of("ChargeCard", ctx.state().payment()))
 *         .compensationCommand(ctx -> ParticipantCommand.of("RefundCard", ctx.state().payment()))
 *         .retry(RetryPolicy.exponential(5, Duration.ofMillis(200), Duration.ofSeconds(5)))
 *         .timeout(Duration.ofSeconds(10)))
 *     .step("ship", step -> step.participant("shipping").action(ctx -> ctx.state().shipped(shipping.schedule(ctx.idempotencyKey()))))
 *     .build();
 * }</pre>
 */
public final class SagaDefinition<S> {

    /** Saga types name streams ({@code $saga-<type>-<id>}), so no {@code -}: the id is what follows the second one. */
    public static final Pattern TYPE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._]{0,63}");

    private final String type;
    private final Class<S> stateType;
    private final List<StepDefinition<S>> steps;
    private final Map<String, StepDefinition<S>> stepsByName = new HashMap<>(); // looked up on every transition
    private final Function<S, String> businessKey;
    private final Duration deadline;

    private SagaDefinition(Builder<S> builder, List<StepDefinition<S>> steps) {
        this.type = builder.type;
        this.stateType = builder.stateType;
        this.steps = List.copyOf(steps);
        for (StepDefinition<S> step : this.steps) {
            stepsByName.put(step.name(), step);
        }
        this.businessKey = builder.businessKey;
        this.deadline = builder.deadline;
    }

    /** Starts a definition of saga type {@code type} whose state is a {@code stateType} (serialized with Jackson). */
    public static <S> Builder<S> builder(String type, Class<S> stateType) {
        return new Builder<>(type, stateType);
    }

    public String type() {
        return type;
    }

    public Class<S> stateType() {
        return stateType;
    }

    public List<StepDefinition<S>> steps() {
        return steps;
    }

    public Optional<StepDefinition<S>> step(String name) {
        return Optional.ofNullable(stepsByName.get(name));
    }

    /** The business key of a saga with this initial state (searchable in the saga view); empty if none is defined. */
    public Optional<String> businessKey(S initialState) {
        return businessKey == null ? Optional.empty() : Optional.ofNullable(businessKey.apply(initialState));
    }

    /** How long a saga may run forward before it is compensated; empty for no deadline. */
    public Optional<Duration> deadline() {
        return Optional.ofNullable(deadline);
    }

    public static String requireType(String type) {
        if (type == null || !TYPE.matcher(type).matches()) {
            throw new SagaValidationException("saga.type", type, "must match " + TYPE.pattern());
        }
        return type;
    }

    @Override
    public String toString() {
        return "Saga[" + type + ", steps=" + steps.stream().map(StepDefinition::name).toList() + "]";
    }

    /** Builds a {@link SagaDefinition}; {@link #build()} validates everything and names the field at fault. */
    public static final class Builder<S> {

        private final String type;
        private final Class<S> stateType;
        private final List<StepBuilder<S>> steps = new ArrayList<>();
        private Function<S, String> businessKey;
        private Duration deadline;

        private Builder(String type, Class<S> stateType) {
            this.type = requireType(type);
            if (stateType == null) {
                throw new SagaValidationException("saga.stateType", null, "must not be null");
            }
            this.stateType = stateType;
        }

        /** A step, configured by {@code configure}; steps run in the order they are added. */
        public Builder<S> step(String name, Consumer<StepBuilder<S>> configure) {
            StepBuilder<S> step = new StepBuilder<>(name);
            configure.accept(step);
            steps.add(step);
            return this;
        }

        /** How to find a saga by business meaning (an order id, a customer): computed once, from the initial state. */
        public Builder<S> businessKey(Function<S, String> key) {
            this.businessKey = key;
            return this;
        }

        /** The saga must complete within {@code limit} of its start, or it is compensated (a durable timer). */
        public Builder<S> deadline(Duration limit) {
            this.deadline = limit;
            return this;
        }

        public SagaDefinition<S> build() {
            if (steps.isEmpty()) {
                throw new SagaValidationException("saga '" + type + "'.steps", "none", "must have at least one step");
            }
            if (deadline != null && (deadline.isNegative() || deadline.isZero())) {
                throw new SagaValidationException("saga '" + type + "'.deadline", deadline, "must be > 0");
            }
            Set<String> names = new HashSet<>();
            List<StepDefinition<S>> built = new ArrayList<>();
            for (StepBuilder<S> step : steps) {
                if (!names.add(step.name)) {
                    throw new SagaValidationException("saga '" + type + "'.step", step.name, "must be unique within the saga");
                }
                built.add(step.build());
            }
            return new SagaDefinition<>(this, built);
        }
    }
}
