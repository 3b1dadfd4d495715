package dev.strata.eventstore.model.bank;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.eventstore.model.bank.AccountCommand.Close;
import dev.strata.eventstore.model.bank.AccountCommand.Deposit;
import dev.strata.eventstore.model.bank.AccountCommand.Open;
import dev.strata.eventstore.model.bank.AccountCommand.Withdraw;
import dev.strata.eventstore.model.bank.AccountEvent.Closed;
import dev.strata.eventstore.model.bank.AccountEvent.Deposited;
import dev.strata.eventstore.model.bank.AccountEvent.Opened;
import dev.strata.eventstore.model.bank.AccountEvent.Withdrawn;
import dev.strata.eventstore.testing.DeciderFixture;
import org.junit.jupiter.api.Test;

/** The sample decider's rules, through the fixtures users get (with the JSON round trip on). */
class AccountDeciderTest {

    private final DeciderFixture<AccountCommand, AccountEvent, Account> account =
            DeciderFixture.of(new AccountDecider(), AccountEvent.TYPES);

    @Test
    void opensANewAccount() {
        account.given()
                .when(new Open("Ada"))
                .then(new Opened("Ada"))
                .thenState(new Account(true, false, "Ada", 0));
    }

    @Test
    void refusesToOpenTwice() {
        AccountRejected rejected = account.given(new Opened("Ada"))
                .when(new Open("Bob"))
                .thenRejectedWith(AccountRejected.class);
        assertThat(rejected).hasMessageContaining("already opened");
    }

    @Test
    void depositsAndWithdraws() {
        account.given(new Opened("Ada"), new Deposited(100))
                .when(new Withdraw(30))
                .then(new Withdrawn(30))
                .thenState(new Account(true, false, "Ada", 70));
    }

    @Test
    void refusesAnOverdraft() {
        AccountRejected.InsufficientFunds rejected = account.given(new Opened("Ada"), new Deposited(100), new Withdrawn(80))
                .when(new Withdraw(30))
                .thenRejectedWith(AccountRejected.InsufficientFunds.class);
        assertThat(rejected).hasMessage("balance 20 is less than the 30 requested");
    }

    @Test
    void refusesNonPositiveAmountsAndUnopenedAccounts() {
        account.given(new Opened("Ada")).when(new Deposit(0)).thenRejectedWith(AccountRejected.class);
        account.given().when(new Deposit(10)).thenRejectedWith(AccountRejected.class);
        account.given(new Opened("Ada"), new Closed()).when(new Deposit(10)).thenRejectedWith(AccountRejected.class);
    }

    @Test
    void closingMovesTheBalanceOutFirst() {
        account.given(new Opened("Ada"), new Deposited(40))
                .when(new Close())
                .then(new Withdrawn(40), new Closed())
                .thenState(new Account(false, true, "Ada", 0));
        account.given(new Opened("Ada"))
                .when(new Close())
                .then(new Closed());
    }
}
