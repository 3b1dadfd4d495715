/**
 * Test fixtures for users' own tests: {@link dev.strata.eventstore.testing.DeciderFixture} runs a decider
 * given/when/then, without a store and without a test framework dependency (failures are {@code AssertionError}s
 * that show the given events, the command, and the expected and actual outcome).
 */
package dev.strata.eventstore.testing;
