package dev.strata.eventstore.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.eventstore.Direction;
import dev.strata.eventstore.Durability;
import dev.strata.eventstore.EventData;
import dev.strata.eventstore.EventStore;
import dev.strata.eventstore.ExpectedVersion;
import dev.strata.eventstore.Metadata;
import dev.strata.eventstore.RecordedEvent;
import dev.strata.eventstore.StreamVersions;
import dev.strata.eventstore.model.bank.Account;
import dev.strata.eventstore.model.bank.AccountCommand;
import dev.strata.eventstore.model.bank.AccountCommand.Deposit;
import dev.strata.eventstore.model.bank.AccountCommand.Open;
import dev.strata.eventstore.model.bank.AccountDecider;
import dev.strata.eventstore.model.bank.AccountEvent;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Snapshots are taken every N events, survive restarts, and a changed model never loads a stale one. */
class SnapshotTest {

    private static final SnapshotPolicy<Account> EVERY_10 = SnapshotPolicy.every(10, Account.class, "1");

    @TempDir
    Path dir;

    private EventStore store;
    private SimpleMeterRegistry meters = new SimpleMeterRegistry();

    @BeforeEach
    void open() {
        store = EventStore.builder().directory(dir).durability(Durability.OS).open();
    }

    @AfterEach
    void close() {
        store.close();
    }

    /** Without the cache, so that every command and every currentState loads through the snapshot. */
    private CommandHandler<AccountCommand, AccountEvent, Account> accounts(SnapshotPolicy<Account> policy) {
        return CommandHandler.builder(store, new AccountDecider(), AccountEvent.TYPES).cacheSize(0).snapshots(policy)
                .meterRegistry(meters).build();
    }

    private void openWithDeposits(CommandHandler<AccountCommand, AccountEvent, Account> handler, String stream, int deposits) {
        handler.handle(stream, new Open("Ada"));
        for (int i = 0; i < deposits; i++) {
            handler.handle(stream, new Deposit(1));
        }
    }

    @Test
    void aSnapshotIsTakenEveryNEventsWithItsVersionAndFingerprint() {
        CommandHandler<AccountCommand, AccountEvent, Account> handler = accounts(EVERY_10);
        openWithDeposits(handler, "account-1", 24); // versions 0..24

        List<RecordedEvent> snapshots = store.readStream("$snapshot-account-1", 0, Direction.FORWARD, 10).toList();
        assertThat(snapshots).extracting(RecordedEvent::type).containsOnly(SnapshotStore.TYPE);
        assertThat(snapshots).extracting(RecordedEvent::dataAsString)
                .satisfiesExactly(
                        first -> assertThat(first).startsWith("{\"stream\":\"account-1\",\"version\":9,\"fingerprint\":\"" + EVERY_10.fingerprint() + "\"")
                                .endsWith("\"state\":{\"open\":true,\"closed\":false,\"owner\":\"Ada\",\"balance\":9}}"),
                        second -> assertThat(second).contains("\"version\":19,").endsWith("\"balance\":19}}"));
        assertThat(EVERY_10.fingerprint()).matches("1-[0-9a-f]{16}");
        assertThat(count("saved")).isEqualTo(2);
        assertThat(count("loaded")).isEqualTo(24 - 9); // the commands after the first snapshot started from one
        assertThat(handler.currentState("account-1").balance()).isEqualTo(24);
    }

    @Test
    void loadingStartsFromTheSnapshotAndReadsOnlyTheEventsAfterIt() {
        CommandHandler<AccountCommand, AccountEvent, Account> handler = accounts(EVERY_10);
        openWithDeposits(handler, "account-2", 12); // snapshot at version 9, events up to 12
        // Forge the snapshot's state: if loading starts from it, the forged balance shows, plus the 3 deposits after it.
        forgeSnapshot("account-2", 9, EVERY_10.fingerprint(), "{\"open\":true,\"closed\":false,\"owner\":\"Forged\",\"balance\":1000}");
        assertThat(handler.currentState("account-2")).isEqualTo(new Account(true, false, "Forged", 1003));
    }

    @Test
    void aChangedModelRevisionNeverLoadsAStaleSnapshotAndReplacesIt() {
        openWithDeposits(accounts(EVERY_10), "account-3", 12);
        forgeSnapshot("account-3", 12, EVERY_10.fingerprint(), "{\"open\":true,\"closed\":false,\"owner\":\"Stale\",\"balance\":-1}");
        assertThat(accounts(EVERY_10).currentState("account-3").owner()).isEqualTo("Stale"); // the old model trusts it

        SnapshotPolicy<Account> revised = SnapshotPolicy.every(10, Account.class, "2");
        assertThat(revised.fingerprint()).isNotEqualTo(EVERY_10.fingerprint());
        CommandHandler<AccountCommand, AccountEvent, Account> handler = accounts(revised);
        assertThat(handler.currentState("account-3")).isEqualTo(new Account(true, false, "Ada", 12));
        assertThat(count("ignored")).isEqualTo(1);

        handler.handle("account-3", new Deposit(1)); // 14 events and no usable snapshot: one is taken now
        RecordedEvent newest = newestSnapshot("account-3");
        assertThat(newest.dataAsString()).contains("\"version\":13,\"fingerprint\":\"" + revised.fingerprint() + "\"")
                .endsWith("\"owner\":\"Ada\",\"balance\":13}}");
        assertThat(handler.currentState("account-3").balance()).isEqualTo(13);
    }

    /** The state with one more component: same revision string, but a different shape, so a different fingerprint. */
    record AccountWithCount(boolean open, String owner, long balance, int deposits) {
    }

    @Test
    void aChangedStateShapeInvalidatesSnapshotsWithoutARevisionBump() {
        openWithDeposits(accounts(EVERY_10), "account-4", 15); // snapshot of Account at version 9
        AccountDecider rules = new AccountDecider();
        Decider<AccountCommand, AccountEvent, AccountWithCount> counting = Decider.of(
                () -> new AccountWithCount(false, null, 0, 0),
                (command, state) -> rules.decide(command, new Account(state.open(), false, state.owner(), state.balance())),
                (state, event) -> {
                    Account next = rules.evolve(new Account(state.open(), false, state.owner(), state.balance()), event);
                    int deposits = state.deposits() + (event instanceof AccountEvent.Deposited ? 1 : 0);
                    return new AccountWithCount(next.open(), next.owner(), next.balance(), deposits);
                });
        SnapshotPolicy<AccountWithCount> policy = SnapshotPolicy.every(10, AccountWithCount.class, "1");
        assertThat(policy.fingerprint()).startsWith("1-").isNotEqualTo(EVERY_10.fingerprint());
        CommandHandler<AccountCommand, AccountEvent, AccountWithCount> handler = CommandHandler
                .builder(store, counting, AccountEvent.TYPES).cacheSize(0).snapshots(policy).meterRegistry(meters).build();

        // Folded from the events: an Account snapshot would have no deposit count (and would not even read as this type).
        double loadedBefore = count("loaded");
        assertThat(handler.currentState("account-4")).isEqualTo(new AccountWithCount(true, "Ada", 15, 15));
        assertThat(count("ignored")).isEqualTo(1);
        assertThat(count("loaded")).isEqualTo(loadedBefore);
    }

    @Test
    void snapshotsSurviveARestart() {
        openWithDeposits(accounts(EVERY_10), "account-5", 10);
        store.close();
        store = EventStore.builder().directory(dir).durability(Durability.OS).open();
        meters = new SimpleMeterRegistry();
        CommandHandler<AccountCommand, AccountEvent, Account> handler = accounts(EVERY_10);
        assertThat(handler.handle("account-5", new Deposit(5)).version()).isEqualTo(11);
        assertThat(count("loaded")).isEqualTo(1);
        assertThat(handler.currentState("account-5").balance()).isEqualTo(15);
    }

    @Test
    void unreadableOrForeignSnapshotsAreIgnored() {
        openWithDeposits(accounts(EVERY_10), "account-6", 11);
        forgeSnapshot("account-6", 11, EVERY_10.fingerprint(), "{\"open\":\"maybe\"}"); // does not read as Account
        assertThat(accounts(EVERY_10).currentState("account-6").balance()).isEqualTo(11);
        store.systemAppender().append("$snapshot-account-6", ExpectedVersion.any(), EventData.json(SnapshotStore.TYPE, "not json"));
        assertThat(accounts(EVERY_10).currentState("account-6").balance()).isEqualTo(11);
        forgeSnapshot("account-6", "account-other", 11, EVERY_10.fingerprint(), "{\"open\":true,\"closed\":false,\"owner\":\"X\",\"balance\":7}");
        assertThat(accounts(EVERY_10).currentState("account-6").balance()).isEqualTo(11);
        assertThat(count("ignored")).isEqualTo(3);
    }

    @Test
    void aRetryOfTheCommandASnapshotEndsWithIsRecognised() {
        CommandHandler<AccountCommand, AccountEvent, Account> handler = accounts(EVERY_10);
        openWithDeposits(handler, "account-7", 8); // versions 0..8
        Command<AccountCommand> tenth = Command.of("account-7", new Deposit(100));
        CommandResult<AccountEvent> first = handler.handle(tenth); // version 9: snapshotted, with the command as the last one
        assertThat(newestSnapshot("account-7").dataAsString()).contains("\"lastCommand\":\"" + tenth.id() + "\",\"lastCommandFirstVersion\":9");

        CommandResult<AccountEvent> again = accounts(EVERY_10).handle(tenth);
        assertThat(again).isEqualTo(new CommandResult<>("account-7", first.events(), 9, first.position(), true));
        assertThat(store.streamVersion("account-7")).hasValue(9);
    }

    @Test
    void longStreamNamesGetAHashedSnapshotStream() {
        String stream = "account-" + "x".repeat(192);
        assertThat(stream).hasSize(200);
        openWithDeposits(accounts(EVERY_10), stream, 9);
        String snapshotStream = SnapshotStore.streamOf(stream);
        assertThat(snapshotStream).matches("\\$snapshot-sha256\\.[0-9a-f]{64}");
        assertThat(store.streamVersion(snapshotStream)).hasValue(0);
        assertThat(SnapshotStore.streamOf("account-1")).isEqualTo("$snapshot-account-1");
        assertThat(accounts(EVERY_10).currentState(stream).balance()).isEqualTo(9);
    }

    @Test
    void handleAsyncTakesSnapshotsToo() throws Exception {
        CommandHandler<AccountCommand, AccountEvent, Account> handler = CommandHandler
                .builder(store, new AccountDecider(), AccountEvent.TYPES).snapshots(EVERY_10).meterRegistry(meters).build();
        handler.handle("account-8", new Open("Bo"));
        CompletableFuture<?>[] deposits = new CompletableFuture<?>[25];
        for (int i = 0; i < deposits.length; i++) {
            deposits[i] = handler.handleAsync(Command.of("account-8", new Deposit(1)));
        }
        CompletableFuture.allOf(deposits).get(30, TimeUnit.SECONDS);
        assertThat(count("saved")).isEqualTo(2);
        assertThat(newestSnapshot("account-8").dataAsString()).contains("\"version\":19,").endsWith("\"balance\":19}}");
        assertThat(accounts(EVERY_10).currentState("account-8").balance()).isEqualTo(25);
    }

    private void forgeSnapshot(String stream, long version, String fingerprint, String stateJson) {
        forgeSnapshot(stream, stream, version, fingerprint, stateJson);
    }

    private void forgeSnapshot(String stream, String claimedStream, long version, String fingerprint, String stateJson) {
        String json = "{\"stream\":\"" + claimedStream + "\",\"version\":" + version + ",\"fingerprint\":\"" + fingerprint
                + "\",\"lastCommand\":null,\"lastCommandFirstVersion\":" + StreamVersions.NO_STREAM + ",\"state\":" + stateJson + "}";
        store.systemAppender().append(SnapshotStore.streamOf(stream), ExpectedVersion.any(), new EventData(UUID.randomUUID(),
                SnapshotStore.TYPE, EventData.JSON, Metadata.empty(), json.getBytes(StandardCharsets.UTF_8)));
    }

    private RecordedEvent newestSnapshot(String stream) {
        return store.readStream(SnapshotStore.streamOf(stream), StreamVersions.END, Direction.BACKWARD, 1).findFirst().orElseThrow();
    }

    private double count(String action) {
        return meters.get("strata.snapshots").tags("action", action).counters().stream().mapToDouble(c -> c.count()).sum();
    }
}
