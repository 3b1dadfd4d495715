package dev.strata.eventstore.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.strata.eventstore.Direction;
import dev.strata.eventstore.DuplicateEventIdException;
import dev.strata.eventstore.Durability;
import dev.strata.eventstore.EventData;
import dev.strata.eventstore.EventStore;
import dev.strata.eventstore.ExpectedVersion;
import dev.strata.eventstore.Metadata;
import dev.strata.eventstore.RecordedEvent;
import dev.strata.eventstore.StreamVersions;
import dev.strata.eventstore.ValidationException;
import dev.strata.eventstore.model.bank.Account;
import dev.strata.eventstore.model.bank.AccountCommand;
import dev.strata.eventstore.model.bank.AccountCommand.Deposit;
import dev.strata.eventstore.model.bank.AccountCommand.Open;
import dev.strata.eventstore.model.bank.AccountCommand.Withdraw;
import dev.strata.eventstore.model.bank.AccountDecider;
import dev.strata.eventstore.model.bank.AccountEvent;
import dev.strata.eventstore.model.bank.AccountEvent.Deposited;
import dev.strata.eventstore.model.bank.AccountEvent.Opened;
import dev.strata.eventstore.model.bank.AccountEvent.Withdrawn;
import dev.strata.eventstore.model.bank.AccountRejected;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CommandHandlerTest {

    /** A second model for cases the bank account cannot show: each bump records the counter's new value. */
    sealed interface CounterEvent {
    }

    record Bumped(long value) implements CounterEvent {
    }

    static final EventTypes<CounterEvent> COUNTER_TYPES = EventTypes.builder(CounterEvent.class).register("Bumped", Bumped.class).build();

    /** "bump" adds one; "noop" decides nothing. */
    static final Decider<String, CounterEvent, Long> COUNTER = Decider.of(() -> 0L,
            (command, count) -> command.equals("noop") ? List.of() : List.of(new Bumped(count + 1)),
            (count, event) -> ((Bumped) event).value());

    @TempDir
    Path dir;

    private EventStore store;
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

    @BeforeEach
    void open() {
        store = EventStore.builder().directory(dir).durability(Durability.OS).open();
    }

    @AfterEach
    void close() {
        store.close();
    }

    private CommandHandler<AccountCommand, AccountEvent, Account> accounts() {
        return CommandHandler.builder(store, new AccountDecider(), AccountEvent.TYPES).meterRegistry(meters).build();
    }

    @Test
    void appendsTheDecidedEventsAndReturnsVersionAndPosition() {
        store.append("other-1", ExpectedVersion.noStream(), EventData.json("Other", "{}"));
        CommandHandler<AccountCommand, AccountEvent, Account> handler = accounts();

        CommandResult<AccountEvent> opened = handler.handle("account-1", new Open("Ada"));
        assertThat(opened).isEqualTo(new CommandResult<>("account-1", List.of(new Opened("Ada")), 0, 1, false));
        CommandResult<AccountEvent> deposited = handler.handle("account-1", new Deposit(100));
        assertThat(deposited).isEqualTo(new CommandResult<>("account-1", List.of(new Deposited(100)), 1, 2, false));
        CommandResult<AccountEvent> closed = handler.handle("account-1", new AccountCommand.Close());
        assertThat(closed.events()).containsExactly(new Withdrawn(100), new AccountEvent.Closed());
        assertThat(closed.version()).isEqualTo(3);
        assertThat(closed.position()).isEqualTo(4).isEqualTo(store.headPosition());

        List<RecordedEvent> stored = store.readStream("account-1", 0, Direction.FORWARD, 10).toList();
        assertThat(stored).extracting(RecordedEvent::type)
                .containsExactly("account.Opened", "account.Deposited", "account.Withdrawn", "account.Closed");
        assertThat(stored).extracting(RecordedEvent::dataAsString).containsExactly("{\"owner\":\"Ada\"}", "{\"amount\":100}",
                "{\"amount\":100}", "{}");
        assertThat(handler.currentState("account-1")).isEqualTo(new Account(false, true, "Ada", 0));
        assertThat(count("strata.commands", "outcome", "appended")).isEqualTo(3);
    }

    @Test
    void metadataFlowsFromTheCommandToItsEvents() {
        String traceparent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
        Command<AccountCommand> open = Command.<AccountCommand>of("account-2", new Open("Bob"))
                .with(Metadata.TRACEPARENT, traceparent).with(Metadata.CORRELATION_ID, "order-77").with("tenant", "acme");
        Command<AccountCommand> close = Command.<AccountCommand>of("account-2", new AccountCommand.Close());
        CommandHandler<AccountCommand, AccountEvent, Account> handler = accounts();
        handler.handle(open);
        handler.handle("account-2", new Deposit(5));
        handler.handle(close);

        List<RecordedEvent> stored = store.readStream("account-2", 0, Direction.FORWARD, 10).toList();
        assertThat(stored.get(0).metadata().asMap()).containsEntry("traceparent", traceparent)
                .containsEntry("correlationid", "order-77").containsEntry("causationid", open.id().toString())
                .containsEntry("tenant", "acme").containsEntry("schemarev", "1");
        assertThat(stored.get(0).id()).isEqualTo(open.eventId(0));
        // Without a correlation id, the command starts a correlation of its own.
        assertThat(stored.get(2).metadata().asMap()).containsEntry("correlationid", close.id().toString())
                .containsEntry("causationid", close.id().toString());
        assertThat(stored.subList(2, 4)).extracting(RecordedEvent::id).containsExactly(close.eventId(0), close.eventId(1));
    }

    @Test
    void eventIdsAreDeterministicPerCommandAndIndex() {
        Command<String> command = Command.of("counter-1", "bump");
        assertThat(command.eventId(0)).isEqualTo(command.eventId(0)).isNotEqualTo(command.eventId(1));
        assertThat(command.eventId(0).version()).isEqualTo(5);
        assertThat(Command.of("counter-1", "bump").eventId(0)).isNotEqualTo(command.eventId(0));
        assertThatThrownBy(() -> command.eventId(-1)).isInstanceOf(ValidationException.class);
    }

    @Test
    void aRetriedCommandIsAppliedOnce() {
        CommandHandler<AccountCommand, AccountEvent, Account> handler = accounts();
        handler.handle("account-3", new Open("Cy"));
        Command<AccountCommand> deposit = Command.of("account-3", new Deposit(10));
        CommandResult<AccountEvent> first = handler.handle(deposit);

        CommandResult<AccountEvent> again = handler.handle(deposit);
        CommandResult<AccountEvent> afterRestart = accounts().handle(deposit); // cold cache: loads the stream
        CommandResult<AccountEvent> expected = new CommandResult<>("account-3", first.events(), first.version(), first.position(), true);
        assertThat(again).isEqualTo(expected);
        assertThat(afterRestart).isEqualTo(expected);

        // Not the latest command any more: deciding it again gives the same event, and the store recognises the append.
        handler.handle("account-3", new Deposit(5));
        assertThat(accounts().handle(deposit)).isEqualTo(expected);
        assertThat(handler.handle(deposit)).isEqualTo(expected);

        assertThat(store.streamVersion("account-3")).hasValue(2);
        assertThat(handler.currentState("account-3").balance()).isEqualTo(15);
        assertThat(count("strata.commands", "outcome", "duplicate")).isEqualTo(4);
    }

    @Test
    void aRetryThatWouldNowBeRejectedReturnsTheFirstOutcomeWhileItIsTheLatestCommand() {
        CommandHandler<AccountCommand, AccountEvent, Account> handler = accounts();
        handler.handle("account-4", new Open("Dee"));
        handler.handle("account-4", new Deposit(100));
        Command<AccountCommand> withdraw = Command.of("account-4", new Withdraw(100));
        CommandResult<AccountEvent> first = handler.handle(withdraw);

        assertThat(handler.handle(withdraw).duplicate()).isTrue();
        assertThat(accounts().handle(withdraw)).isEqualTo(new CommandResult<>("account-4", List.of(new Withdrawn(100)),
                first.version(), first.position(), true));

        // Once another command followed, the retry is decided again, and the rule now refuses it: still applied once.
        handler.handle("account-4", new Deposit(1));
        assertThatThrownBy(() -> accounts().handle(withdraw)).isInstanceOf(AccountRejected.InsufficientFunds.class);
        assertThat(store.streamVersion("account-4")).hasValue(3);
        assertThat(handler.currentState("account-4").balance()).isEqualTo(1);
    }

    @Test
    void aRetryThatDecidesOtherEventsReturnsTheFirstOnes() {
        CommandHandler<String, CounterEvent, Long> counter = CommandHandler.builder(store, COUNTER, COUNTER_TYPES)
                .meterRegistry(meters).build();
        Command<String> bump = Command.of("counter-1", "bump");
        CommandResult<CounterEvent> first = counter.handle(bump);
        counter.handle("counter-1", "bump");
        counter.handle("counter-1", "bump");

        // Decided again on the count of 3, the retry would record 4; its ids are stored with 1, so the first outcome returns.
        CommandResult<CounterEvent> retried = counter.handle(bump);
        assertThat(retried).isEqualTo(new CommandResult<>("counter-1", List.of(new Bumped(1)), 0, first.position(), true));
        assertThat(counter.currentState("counter-1")).isEqualTo(3);
        assertThat(store.streamVersion("counter-1")).hasValue(2);
    }

    @Test
    void aCommandIdUsedOnAnotherStreamIsRefused() {
        CommandHandler<String, CounterEvent, Long> counter = CommandHandler.builder(store, COUNTER, COUNTER_TYPES)
                .meterRegistry(meters).build();
        UUID id = UUID.randomUUID();
        counter.handle(Command.of("counter-2", "bump").withId(id));
        assertThatThrownBy(() -> counter.handle(Command.of("counter-3", "bump").withId(id)))
                .isInstanceOf(DuplicateEventIdException.class).hasMessageContaining("is stored in another stream");
        assertThat(store.streamVersion("counter-3")).isEmpty();
        assertThat(count("strata.commands", "outcome", "failed")).isEqualTo(1);
    }

    @Test
    void aRejectionPassesThroughAndAppendsNothing() {
        CommandHandler<AccountCommand, AccountEvent, Account> handler = accounts();
        assertThatThrownBy(() -> handler.handle("account-5", new Deposit(10)))
                .isInstanceOf(AccountRejected.class).hasMessage("account is not opened");
        assertThat(store.streamVersion("account-5")).isEmpty();
        assertThat(count("strata.commands", "outcome", "rejected")).isEqualTo(1);
    }

    @Test
    void aDecisionOfNoEventsAppendsNothing() {
        CommandHandler<String, CounterEvent, Long> counter = CommandHandler.builder(store, COUNTER, COUNTER_TYPES)
                .meterRegistry(meters).build();
        assertThat(counter.handle("counter-4", "noop"))
                .isEqualTo(new CommandResult<>("counter-4", List.of(), StreamVersions.NO_STREAM, StreamVersions.NO_POSITION, false));
        counter.handle("counter-4", "bump");
        CommandResult<CounterEvent> unchanged = counter.handle("counter-4", "noop");
        assertThat(unchanged.version()).isZero();
        assertThat(unchanged.changed()).isFalse();
        assertThat(store.streamVersion("counter-4")).hasValue(0);
        assertThat(count("strata.commands", "outcome", "unchanged")).isEqualTo(2);
    }

    @Test
    void aStaleCachedStateIsCaughtByTheExpectedVersionAndRefreshed() {
        CommandHandler<AccountCommand, AccountEvent, Account> handler = accounts();
        handler.handle("account-6", new Open("Eve"));
        handler.handle("account-6", new Deposit(50)); // cached at version 1, balance 50
        store.append("account-6", ExpectedVersion.exactly(1), AccountEvent.TYPES.encode(new Deposited(25), UUID.randomUUID(), Metadata.empty()));

        CommandResult<AccountEvent> result = handler.handle("account-6", new Withdraw(40));
        assertThat(result.version()).isEqualTo(3);
        assertThat(count("strata.command.conflicts")).isEqualTo(1);
        assertThat(handler.handle("account-6", new Withdraw(35)).version()).isEqualTo(4); // the refreshed cache is exact
        assertThatThrownBy(() -> handler.handle("account-6", new Withdraw(1))).isInstanceOf(AccountRejected.InsufficientFunds.class);
        assertThat(handler.currentState("account-6").balance()).isZero();
    }

    @Test
    void aRejectionOnAStaleCachedStateIsDecidedAgainOnTheCurrentOne() {
        CommandHandler<AccountCommand, AccountEvent, Account> handler = accounts();
        handler.handle("account-7", new Open("Fay"));     // cached: balance 0
        store.append("account-7", ExpectedVersion.exactly(0), AccountEvent.TYPES.encode(new Deposited(30), UUID.randomUUID(), Metadata.empty()));

        // The cached balance says no; the stream says yes.
        CommandResult<AccountEvent> result = handler.handle("account-7", new Withdraw(30));
        assertThat(result.events()).containsExactly(new Withdrawn(30));
        assertThat(count("strata.command.cache.stale")).isEqualTo(1);
        assertThat(count("strata.command.conflicts")).isZero();
    }

    @Test
    void conflictRetriesAreBoundedAndThenAClearError() {
        AtomicInteger rivals = new AtomicInteger();
        CounterRival rival = new CounterRival(store, "counter-5", Integer.MAX_VALUE, rivals);
        CommandHandler<String, CounterEvent, Long> counter = CommandHandler.builder(store, rival, COUNTER_TYPES)
                .maxAttempts(3).retryBackoff(Duration.ZERO).meterRegistry(meters).build();

        assertThatThrownBy(() -> counter.handle(Command.of("counter-5", "bump")))
                .isInstanceOf(CommandConflictException.class)
                .hasMessageContaining("on stream 'counter-5' lost to concurrent writers 3 times")
                .satisfies(e -> {
                    assertThat(((CommandConflictException) e).attempts()).isEqualTo(3);
                    assertThat(((CommandConflictException) e).isRetryable()).isTrue();
                });
        assertThat(rivals.get()).isEqualTo(3);
        assertThat(store.streamVersion("counter-5")).hasValue(2); // only the rival's three events
        assertThat(count("strata.command.conflicts")).isEqualTo(3);
        assertThat(count("strata.commands", "outcome", "conflict")).isEqualTo(1);
    }

    @Test
    void aConflictIsRetriedOnTheNewState() {
        AtomicInteger rivals = new AtomicInteger();
        CounterRival rival = new CounterRival(store, "counter-6", 2, rivals);
        CommandHandler<String, CounterEvent, Long> counter = CommandHandler.builder(store, rival, COUNTER_TYPES)
                .maxAttempts(3).meterRegistry(meters).build();

        CommandResult<CounterEvent> result = counter.handle(Command.of("counter-6", "bump"));
        assertThat(result.events()).containsExactly(new Bumped(3)); // decided on the rival's two bumps
        assertThat(result.version()).isEqualTo(2);
        assertThat(counter.currentState("counter-6")).isEqualTo(3);
    }

    @Test
    void handleAsyncDecidesOnTheCallerAndCompletesWithTheSameResults() throws Exception {
        CommandHandler<AccountCommand, AccountEvent, Account> handler = accounts();
        assertThat(handler.handleAsync(Command.of("account-8", new Open("Gus"))).get().version()).isZero();
        List<CompletableFuture<CommandResult<AccountEvent>>> deposits = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            deposits.add(handler.handleAsync(Command.of("account-8", new Deposit(2))));
        }
        List<Long> versions = new ArrayList<>();
        for (CompletableFuture<CommandResult<AccountEvent>> deposit : deposits) {
            versions.add(deposit.get(30, TimeUnit.SECONDS).version());
        }
        assertThat(versions).doesNotHaveDuplicates().allMatch(v -> v >= 1 && v <= 50);
        assertThat(handler.currentState("account-8").balance()).isEqualTo(100);

        CompletableFuture<CommandResult<AccountEvent>> overdraft = handler.handleAsync(Command.of("account-8", new Withdraw(101)));
        assertThatThrownBy(overdraft::join).isInstanceOf(CompletionException.class)
                .hasCauseInstanceOf(AccountRejected.InsufficientFunds.class);
        Command<AccountCommand> withdraw = Command.of("account-8", new Withdraw(100));
        CommandResult<AccountEvent> first = handler.handleAsync(withdraw).get();
        assertThat(handler.handleAsync(withdraw).get()).isEqualTo(new CommandResult<>("account-8", first.events(), 51, first.position(), true));
        assertThat(count("strata.commands", "outcome", "rejected")).isEqualTo(1);
        assertThat(count("strata.commands", "outcome", "duplicate")).isEqualTo(1);
    }

    @Test
    void handleAsyncRetriesConflictsOnTheExecutor() throws Exception {
        AtomicInteger rivals = new AtomicInteger();
        CommandHandler<String, CounterEvent, Long> counter = CommandHandler.builder(store,
                        new CounterRival(store, "counter-7", 2, rivals), COUNTER_TYPES)
                .maxAttempts(3).meterRegistry(meters).build();
        CommandResult<CounterEvent> result = counter.handleAsync(Command.of("counter-7", "bump")).get(30, TimeUnit.SECONDS);
        assertThat(result.events()).containsExactly(new Bumped(3));
        assertThat(count("strata.command.conflicts")).isEqualTo(2);

        CommandHandler<String, CounterEvent, Long> hopeless = CommandHandler.builder(store,
                        new CounterRival(store, "counter-8", Integer.MAX_VALUE, new AtomicInteger()), COUNTER_TYPES)
                .name("hopeless").maxAttempts(2).meterRegistry(meters).build();
        assertThatThrownBy(() -> hopeless.handleAsync(Command.of("counter-8", "bump")).join())
                .hasCauseInstanceOf(CommandConflictException.class);
        assertThat(meters.get("strata.commands").tags("handler", "hopeless", "outcome", "conflict").counter().count()).isEqualTo(1);
    }

    @Test
    void settingsAreValidated() {
        assertThatThrownBy(() -> CommandHandler.builder(store, COUNTER, COUNTER_TYPES).maxAttempts(0).build())
                .isInstanceOf(ValidationException.class).hasMessage("maxAttempts must be >= 1 but was 0");
        assertThatThrownBy(() -> CommandHandler.builder(store, COUNTER, COUNTER_TYPES).cacheSize(-1).build())
                .hasMessage("cacheSize must be >= 0 (0 turns the cache off) but was -1");
        assertThatThrownBy(() -> CommandHandler.builder(store, COUNTER, COUNTER_TYPES).retryBackoff(Duration.ofSeconds(-1)).build())
                .hasMessageContaining("retryBackoff must be between 0 and 1 s");
        assertThatThrownBy(() -> CommandHandler.builder(store, COUNTER, COUNTER_TYPES).name("bad name").build())
                .hasMessageContaining("name must match");
        assertThatThrownBy(() -> CommandHandler.builder(null, COUNTER, COUNTER_TYPES)).hasMessage("store must not be null but was null");
        CommandHandler<String, CounterEvent, Long> counter = CommandHandler.builder(store, COUNTER, COUNTER_TYPES).meterRegistry(meters).build();
        assertThat(counter.name()).isEqualTo("CounterEvent");
        assertThatThrownBy(() -> counter.handle(null)).isInstanceOf(ValidationException.class);
        assertThatThrownBy(() -> counter.handle("$system", "bump")).isInstanceOf(ValidationException.class)
                .hasMessageContaining("must not start with '$'");
    }

    /** The counter decider, with a rival writer that bumps the stream behind its back during the first decisions. */
    static final class CounterRival implements Decider<String, CounterEvent, Long> {
        private final EventStore store;
        private final String stream;
        private final int interferences;
        private final AtomicInteger rivals;

        CounterRival(EventStore store, String stream, int interferences, AtomicInteger rivals) {
            this.store = store;
            this.stream = stream;
            this.interferences = interferences;
            this.rivals = rivals;
        }

        @Override
        public Long initialState() {
            return 0L;
        }

        @Override
        public List<CounterEvent> decide(String command, Long count) {
            if (rivals.get() < interferences) {
                long version = store.streamVersion(stream).orElse(StreamVersions.NO_STREAM);
                store.append(stream, version < 0 ? ExpectedVersion.noStream() : ExpectedVersion.exactly(version),
                        COUNTER_TYPES.encode(new Bumped(version + 2), UUID.randomUUID(), Metadata.empty()));
                rivals.incrementAndGet();
            }
            return COUNTER.decide(command, count);
        }

        @Override
        public Long evolve(Long count, CounterEvent event) {
            return COUNTER.evolve(count, event);
        }
    }

    private double count(String name, String... tags) {
        return meters.get(name).tags(tags).counter().count();
    }
}
