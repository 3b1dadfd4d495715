package dev.strata.eventstore.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.annotation.JsonIgnore;
import dev.strata.eventstore.model.Decider;
import dev.strata.eventstore.model.EventTypes;
import dev.strata.eventstore.model.bank.Account;
import dev.strata.eventstore.model.bank.AccountCommand;
import dev.strata.eventstore.model.bank.AccountCommand.Deposit;
import dev.strata.eventstore.model.bank.AccountCommand.Withdraw;
import dev.strata.eventstore.model.bank.AccountDecider;
import dev.strata.eventstore.model.bank.AccountEvent;
import dev.strata.eventstore.model.bank.AccountEvent.Deposited;
import dev.strata.eventstore.model.bank.AccountEvent.Opened;
import dev.strata.eventstore.model.bank.AccountEvent.Withdrawn;
import dev.strata.eventstore.model.bank.AccountRejected;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The fixtures fail when they should, with messages that show given, when, expected and actual. */
class DeciderFixtureTest {

    private final DeciderFixture<AccountCommand, AccountEvent, Account> account =
            DeciderFixture.of(new AccountDecider(), AccountEvent.TYPES);

    @Test
    void wrongEventsShowExpectedAndActual() {
        assertThatThrownBy(() -> account.given(new Opened("Ada")).when(new Deposit(50)).then(new Deposited(40)))
                .isInstanceOf(AssertionError.class)
                .hasMessage("""
                        given
                            [0] Opened[owner=Ada]
                        when
                            Deposit[amount=50]
                        expected the events
                            [0] Deposited[amount=40]
                        but it produced
                            [0] Deposited[amount=50]
                        first difference at [0]: expected Deposited[amount=40], actual Deposited[amount=50]""");
    }

    @Test
    void missingAndExtraEventsAreNamed() {
        assertThatThrownBy(() -> account.given(new Opened("Ada"), new Deposited(5)).when(new AccountCommand.Close())
                .then(new Withdrawn(5)))
                .hasMessageContaining("first difference at [1]: expected nothing, actual Closed[]");
        assertThatThrownBy(() -> account.given(new Opened("Ada")).when(new Deposit(5)).then())
                .hasMessageContaining("expected the events\n    (no events)\nbut it produced\n    [0] Deposited[amount=5]");
    }

    @Test
    void anUnexpectedRejectionShowsTheException() {
        AssertionError failure = catchAssertion(() -> account.given(new Opened("Ada")).when(new Withdraw(10)).then(new Withdrawn(10)));
        assertThat(failure).hasMessageContaining("expected it to produce the events\n    [0] Withdrawn[amount=10]")
                .hasMessageContaining("but it was rejected with " + AccountRejected.InsufficientFunds.class.getName()
                        + ": balance 0 is less than the 10 requested");
        assertThat(failure.getCause()).isInstanceOf(AccountRejected.InsufficientFunds.class);
    }

    @Test
    void aMissingRejectionShowsWhatWasProduced() {
        assertThatThrownBy(() -> account.given(new Opened("Ada"), new Deposited(10)).when(new Withdraw(10))
                .thenRejectedWith(AccountRejected.class))
                .hasMessageEndingWith("expected a rejection with " + AccountRejected.class.getName()
                        + "\nbut it was accepted and produced\n    [0] Withdrawn[amount=10]");
    }

    @Test
    void aRejectionOfAnotherTypeFails() {
        assertThatThrownBy(() -> account.given(new Opened("Ada")).when(new Deposit(-1))
                .thenRejectedWith(AccountRejected.InsufficientFunds.class))
                .hasMessageContaining("but it was rejected with " + AccountRejected.class.getName() + ": amount must be > 0");
    }

    @Test
    void aWrongStateShowsBoth() {
        assertThatThrownBy(() -> account.given(new Opened("Ada")).when(new Deposit(5)).thenState(new Account(true, false, "Ada", 6)))
                .hasMessageContaining("expected the state\n    Account[open=true, closed=false, owner=Ada, balance=6]\n"
                        + "but it is\n    Account[open=true, closed=false, owner=Ada, balance=5]");
    }

    sealed interface Lossy {
    }

    /** An event whose JSON loses a field: the fixture with event types catches it before the store would. */
    record Noted(String text, @JsonIgnore String lost) implements Lossy {
    }

    @Test
    void anEventThatDoesNotSurviveJsonFails() {
        EventTypes<Lossy> types = EventTypes.builder(Lossy.class).register("Noted", Noted.class)
                .objectMapper(new com.fasterxml.jackson.databind.ObjectMapper()).build();
        Decider<String, Lossy, String> decider = Decider.of(() -> "", (command, state) -> List.of(new Noted(command, "x")),
                (state, event) -> state);
        assertThatThrownBy(() -> DeciderFixture.of(decider, types).given().when("hello").then(new Noted("hello", "x")))
                .hasMessageContaining("produced event [0] Noted[text=hello, lost=x] does not survive serialization: stored as "
                        + "{\"text\":\"hello\"}, read back as [Noted[text=hello, lost=null]]");
        DeciderFixture.of(decider).given().when("hello").then(new Noted("hello", "x")); // without types: no round trip
    }

    @Test
    void anUnregisteredEventFails() {
        record Foreign(int x) {
        }
        EventTypes<Object> objects = EventTypes.builder(Object.class).register("Foreign", Foreign.class).build();
        Decider<String, Object, String> decider = Decider.of(() -> "", (command, state) -> List.of(command), (state, event) -> state);
        assertThatThrownBy(() -> DeciderFixture.of(decider, objects).given().when("hello").then("hello"))
                .hasMessageContaining("produced event [0] hello cannot be stored: event must be a class registered");
    }

    private static AssertionError catchAssertion(Runnable runnable) {
        try {
            runnable.run();
        } catch (AssertionError e) {
            return e;
        }
        throw new IllegalStateException("expected an AssertionError");
    }
}
