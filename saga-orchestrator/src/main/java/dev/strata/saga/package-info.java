/**
 * Sagas: business operations that span participants, run as steps with compensations, durably, on the event store.
 *
 * <p>Define a saga with {@link dev.strata.saga.SagaDefinition} (named steps, each an action and an optional
 * compensation, with a typed state passed along, and per-step retry, timeout and participant); test it without a
 * store with {@link dev.strata.saga.testing.SagaFixture}; run it with {@link dev.strata.saga.SagaOrchestrator}.
 * Every transition is a {@link dev.strata.saga.SagaEvent} in the saga's own stream {@code $saga-<type>-<id>}; the
 * {@link dev.strata.saga.SagaView} makes instances searchable; {@link dev.strata.saga.SagaLog} reads and retries
 * sagas without their definitions (the command line). Participants are local calls or are reached through the store
 * ({@link dev.strata.saga.SagaMessages}, {@link dev.strata.saga.ParticipantEndpoint}).
 *
 * <p>What is not public API lives in {@code dev.strata.saga.internal}: the fold ({@code SagaInstance}), the rules
 * ({@code SagaMachine}, pure), and the runtime ({@code SagaEngine}, {@code SagaRun}).
 */
package dev.strata.saga;
