package dev.strata.eventstore.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.eventstore.Direction;
import dev.strata.eventstore.Durability;
import dev.strata.eventstore.EventStore;
import dev.strata.eventstore.model.bank.Account;
import dev.strata.eventstore.model.bank.AccountCommand;
import dev.strata.eventstore.model.bank.AccountCommand.Deposit;
import dev.strata.eventstore.model.bank.AccountCommand.Open;
import dev.strata.eventstore.model.bank.AccountCommand.Withdraw;
import dev.strata.eventstore.model.bank.AccountDecider;
import dev.strata.eventstore.model.bank.AccountEvent;
import dev.strata.eventstore.model.bank.AccountRejected;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Real concurrent writers on a real store: threads racing through two handlers (two hot caches, each unaware of
 * the other's appends) for the same streams. Nothing is lost, no rule is broken, every conflict is retried.
 */
class CommandHandlerConcurrencyTest {

    private static final int THREADS = 4;

    @TempDir
    Path dir;

    private EventStore store;
    private ExecutorService threads;
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

    @BeforeEach
    void open() {
        store = EventStore.builder().directory(dir).durability(Durability.OS).open();
        threads = Executors.newFixedThreadPool(THREADS);
    }

    @AfterEach
    void close() throws InterruptedException {
        threads.shutdownNow();
        assertThat(threads.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        store.close();
    }

    private CommandHandler<AccountCommand, AccountEvent, Account> handler(String name, int cacheSize) {
        return handler(name, cacheSize, new AccountDecider());
    }

    private CommandHandler<AccountCommand, AccountEvent, Account> handler(String name, int cacheSize,
                                                                          Decider<AccountCommand, AccountEvent, Account> decider) {
        return CommandHandler.builder(store, decider, AccountEvent.TYPES).name(name).cacheSize(cacheSize)
                .maxAttempts(10_000).meterRegistry(meters).build();
    }

    @ParameterizedTest(name = "cache size {0}")
    @ValueSource(ints = {0, 10_000})
    void concurrentDepositsAreNeverLost(int cacheSize) throws Exception {
        List<CommandHandler<AccountCommand, AccountEvent, Account>> handlers = List.of(handler("a", cacheSize), handler("b", cacheSize));
        List<String> streams = List.of("account-1", "account-2", "account-3");
        for (String stream : streams) {
            handlers.get(0).handle(stream, new Open("owner of " + stream));
        }
        int perThread = 60;
        runAll(t -> () -> {
            for (int i = 0; i < perThread; i++) {
                // Mostly the first stream (hot), sometimes the others.
                String stream = streams.get(i % 5 == 0 ? 1 + (i / 5) % 2 : 0);
                handlers.get(t % 2).handle(stream, new Deposit(1));
            }
            return null;
        });

        long total = 0;
        for (String stream : streams) {
            Account account = handlers.get(1).currentState(stream);
            total += account.balance();
            assertThat(store.streamVersion(stream)).hasValue(account.balance()); // one Opened, then one event per deposit
        }
        assertThat(total).isEqualTo(THREADS * perThread);
        // Both handlers' caches, stale or not, give the exact state: a follow-up command sees every deposit.
        long hot = handlers.get(1).currentState("account-1").balance();
        assertThat(handlers.get(0).handle("account-1", new Withdraw(hot)).version()).isEqualTo(hot + 1);
        assertThat(handlers.get(1).handle("account-1", new Deposit(1)).version()).isEqualTo(hot + 2);
    }

    @Test
    void manyCommandsInFlightFromFewThreadsAreNeverLost() throws Exception {
        List<CommandHandler<AccountCommand, AccountEvent, Account>> handlers = List.of(handler("a", 10_000), handler("b", 10_000));
        int streams = 20;
        for (int s = 0; s < streams; s++) {
            handlers.get(0).handle("async-" + s, new Open("owner " + s));
        }
        int perThread = 100;
        runAll(t -> () -> {
            List<CompletableFuture<CommandResult<AccountEvent>>> inFlight = new ArrayList<>();
            for (int i = 0; i < perThread; i++) {
                inFlight.add(handlers.get(t % 2).handleAsync(Command.of("async-" + (i * 7 + t) % streams, new Deposit(1))));
            }
            for (CompletableFuture<CommandResult<AccountEvent>> command : inFlight) {
                assertThat(command.get(60, TimeUnit.SECONDS).changed()).isTrue();
            }
            return null;
        });
        long total = 0;
        for (int s = 0; s < streams; s++) {
            long balance = handlers.get(1).currentState("async-" + s).balance();
            assertThat(store.streamVersion("async-" + s)).hasValue(balance);
            total += balance;
        }
        assertThat(total).isEqualTo(THREADS * perThread);
    }

    @Test
    void concurrentWithdrawalsNeverOverdraw() throws Exception {
        List<CommandHandler<AccountCommand, AccountEvent, Account>> handlers = List.of(handler("a", 100), handler("b", 100));
        handlers.get(0).handle("account-9", new Open("Ada"));
        handlers.get(1).handle("account-9", new Deposit(100)); // each handler has cached its own view now
        AtomicInteger accepted = new AtomicInteger();
        AtomicInteger refused = new AtomicInteger();
        runAll(t -> () -> {
            for (int i = 0; i < 10; i++) {
                try {
                    handlers.get(t % 2).handle("account-9", new Withdraw(5));
                    accepted.incrementAndGet();
                } catch (AccountRejected.InsufficientFunds e) {
                    refused.incrementAndGet();
                }
            }
            return null;
        });
        assertThat(accepted.get()).isEqualTo(20);
        assertThat(refused.get()).isEqualTo(THREADS * 10 - 20);
        // Replay the stream: the balance never went below zero.
        Account state = new AccountDecider().initialState();
        AccountDecider decider = new AccountDecider();
        for (var event : store.readStream("account-9", 0, Direction.FORWARD, 1000).toList()) {
            for (AccountEvent decoded : AccountEvent.TYPES.decode(event)) {
                state = decider.evolve(state, decoded);
                assertThat(state.balance()).isNotNegative();
            }
        }
        assertThat(state.balance()).isZero();
    }

    @Test
    void twoWritersDecidingOnTheSameVersionConflictAndTheLoserRetries() throws Exception {
        CyclicBarrier bothDecided = new CyclicBarrier(2);
        AtomicInteger firstDecisions = new AtomicInteger();
        AccountDecider rules = new AccountDecider();
        Decider<AccountCommand, AccountEvent, Account> racing = Decider.of(rules::initialState, (command, state) -> {
            List<AccountEvent> events = rules.decide(command, state);
            if (firstDecisions.incrementAndGet() <= 2) {
                awaitQuietly(bothDecided); // both threads have decided on the same version before either appends
            }
            return events;
        }, rules::evolve);
        List<CommandHandler<AccountCommand, AccountEvent, Account>> handlers = List.of(handler("a", 100), handler("b", 100));
        store.append("account-5", dev.strata.eventstore.ExpectedVersion.noStream(),
                AccountEvent.TYPES.encode(new AccountEvent.Opened("Bo"), java.util.UUID.randomUUID(), dev.strata.eventstore.Metadata.empty()));
        List<CommandHandler<AccountCommand, AccountEvent, Account>> racers = List.of(handler("racer-a", 100, racing), handler("racer-b", 100, racing));

        List<Future<CommandResult<AccountEvent>>> results = new ArrayList<>();
        for (int t = 0; t < 2; t++) {
            int which = t;
            results.add(threads.submit(() -> racers.get(which).handle("account-5", new Deposit(10 + which))));
        }
        List<Long> versions = new ArrayList<>();
        for (Future<CommandResult<AccountEvent>> result : results) {
            versions.add(result.get(30, TimeUnit.SECONDS).version());
        }
        assertThat(versions).containsExactlyInAnyOrder(1L, 2L);
        assertThat(firstDecisions.get()).isEqualTo(3); // two racing decisions, one retry
        double conflicts = meters.get("strata.command.conflicts").tag("handler", "racer-a").counter().count()
                + meters.get("strata.command.conflicts").tag("handler", "racer-b").counter().count();
        assertThat(conflicts).isEqualTo(1);
        assertThat(handlers.get(0).currentState("account-5").balance()).isEqualTo(21);
    }

    private static void awaitQuietly(CyclicBarrier barrier) {
        try {
            barrier.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (BrokenBarrierException | TimeoutException e) {
            throw new IllegalStateException(e);
        }
    }

    private interface Task {
        Callable<Void> forThread(int thread);
    }

    private void runAll(Task task) throws Exception {
        List<Future<Void>> futures = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            futures.add(threads.submit(task.forThread(t)));
        }
        for (Future<Void> future : futures) {
            future.get(60, TimeUnit.SECONDS);
        }
    }
}
