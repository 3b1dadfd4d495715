package dev.strata.eventstore.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
import dev.strata.eventstore.model.bank.AccountDecider;
import dev.strata.eventstore.model.bank.AccountEvent;
import dev.strata.eventstore.model.bank.AccountEvent.Closed;
import dev.strata.eventstore.model.bank.AccountEvent.Deposited;
import dev.strata.eventstore.model.bank.AccountEvent.Opened;
import dev.strata.eventstore.model.bank.AccountEvent.Withdrawn;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Old events, stored as the JSON an earlier model wrote, read back as today's records through the upcasters: rename
 * a field (twice, chained 1 -> 2 -> 3), change a type name, split an event in two.
 */
class UpcastingTest {

    /**
     * Today's model. Its history: {@code account.Opened} had {@code name} (revision 1), then {@code holder} (2), now
     * {@code owner} (3); {@code account.Deposited} had {@code sum} (1), now {@code amount} (2); deposits were once
     * called {@code MoneyAdded}; and accounts were once opened with a first deposit in one event.
     */
    static final EventTypes<AccountEvent> REVISED = EventTypes.builder(AccountEvent.class)
            .register("account.Opened", 3, Opened.class)
            .register("account.Deposited", 2, Deposited.class)
            .register("account.Withdrawn", Withdrawn.class)
            .register("account.Closed", Closed.class)
            .upcaster(Upcaster.renameField("account.Opened", 1, "name", "holder"))
            .upcaster(Upcaster.renameField("account.Opened", 2, "holder", "owner"))
            .upcaster(Upcaster.renameField("account.Deposited", 1, "sum", "amount"))
            .upcaster(Upcaster.renameType("MoneyAdded", 1, "account.Deposited"))
            .upcaster(new Upcaster("account.OpenedWithDeposit", 1, old -> List.of(
                    new JsonEvent("account.Opened", 3, object().put("owner", old.data().get("owner").asText())),
                    new JsonEvent("account.Deposited", 2, object().put("amount", old.data().get("initial").asLong())))))
            .build();

    /** The first model, as its own classes: what really wrote revision 1. */
    sealed interface FirstModel {
        record Opened(String name) implements FirstModel {
        }

        record Deposited(long sum) implements FirstModel {
        }
    }

    static final EventTypes<FirstModel> FIRST = EventTypes.builder(FirstModel.class)
            .register("account.Opened", FirstModel.Opened.class)
            .register("account.Deposited", FirstModel.Deposited.class)
            .build();

    @TempDir
    Path dir;

    private EventStore store;

    @BeforeEach
    void open() {
        store = EventStore.builder().directory(dir).durability(Durability.OS).open();
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void oldRevisionsReadAsTodaysRecords() {
        store.append("account-1", ExpectedVersion.noStream(),
                raw("account.Opened", null, "{\"name\":\"Ada\"}"),            // revision 1 (no schemarev): 1 -> 2 -> 3
                raw("account.Deposited", "1", "{\"sum\":100}"),               // renamed field
                raw("MoneyAdded", null, "{\"amount\":50}"),                   // renamed type
                raw("account.Opened", "2", "{\"holder\":\"Ada B.\"}"),        // from the middle of the chain
                raw("account.Withdrawn", "1", "{\"amount\":30}"));            // current
        List<List<AccountEvent>> decoded = store.readStream("account-1", 0, Direction.FORWARD, 100).map(REVISED::decode).toList();
        assertThat(decoded).containsExactly(List.of(new Opened("Ada")), List.of(new Deposited(100)), List.of(new Deposited(50)),
                List.of(new Opened("Ada B.")), List.of(new Withdrawn(30)));
    }

    @Test
    void anEventSplitsInTwo() {
        store.append("account-2", ExpectedVersion.noStream(),
                raw("account.OpenedWithDeposit", null, "{\"owner\":\"Cy\",\"initial\":70}"),
                raw("account.Withdrawn", null, "{\"amount\":20}"));
        List<RecordedEvent> stored = store.readStream("account-2", 0, Direction.FORWARD, 100).toList();
        assertThat(REVISED.decode(stored.get(0))).containsExactly(new Opened("Cy"), new Deposited(70));
        assertThat(handler().currentState("account-2")).isEqualTo(new Account(true, false, "Cy", 50));
    }

    @Test
    void aStoreWrittenByTheFirstModelWorksWithTodaysHandler() {
        store.append("account-3", ExpectedVersion.noStream(),
                FIRST.encode(new FirstModel.Opened("Dee"), UUID.randomUUID(), Metadata.empty()),
                FIRST.encode(new FirstModel.Deposited(80), UUID.randomUUID(), Metadata.empty()));
        store.close();
        store = EventStore.builder().directory(dir).durability(Durability.OS).open();

        CommandResult<AccountEvent> result = handler().handle("account-3", new AccountCommand.Withdraw(80));
        assertThat(result.events()).containsExactly(new Withdrawn(80));
        assertThat(result.version()).isEqualTo(2);
        assertThat(handler().currentState("account-3")).isEqualTo(new Account(true, false, "Dee", 0));

        // New events are written at today's revisions.
        handler().handle("account-4", new AccountCommand.Open("Eve"));
        RecordedEvent opened = store.readStream("account-4", 0, Direction.FORWARD, 1).findFirst().orElseThrow();
        assertThat(opened.dataAsString()).isEqualTo("{\"owner\":\"Eve\"}");
        assertThat(opened.metadata().get(EventTypes.SCHEMA_REVISION)).hasValue("3");
    }

    @Test
    void anUnreadableEventFailsTheCommandNamingStreamVersionAndType() {
        store.append("account-5", ExpectedVersion.noStream(), raw("account.Opened", null, "{\"name\":\"Fay\"}"),
                raw("account.Frozen", "1", "{}"));
        assertThatThrownBy(() -> handler().handle("account-5", new AccountCommand.Deposit(1)))
                .isInstanceOf(EventDecodingException.class)
                .hasMessage("cannot decode event account-5@1 of type 'account.Frozen' revision 1: unknown event type "
                        + "'account.Frozen' (register it, or an upcaster from its revision 1)");
        assertThat(store.streamVersion("account-5")).hasValue(1);
    }

    @Test
    void brokenUpcastersAreNamed() {
        EventTypes<AccountEvent> backwards = EventTypes.builder(AccountEvent.class)
                .register("account.Opened", 2, Opened.class)
                .register("account.Deposited", Deposited.class)
                .register("account.Withdrawn", Withdrawn.class)
                .register("account.Closed", Closed.class)
                .upcaster(new Upcaster("account.Opened", 1, old -> List.of(old)))
                .upcaster(new Upcaster("Legacy", 1, old -> {
                    throw new IllegalStateException("boom");
                }))
                .build();
        store.append("account-6", ExpectedVersion.noStream(), raw("account.Opened", "1", "{\"owner\":\"G\"}"),
                raw("Legacy", null, "{}"));
        List<RecordedEvent> stored = store.readStream("account-6", 0, Direction.FORWARD, 10).toList();
        assertThatThrownBy(() -> backwards.decode(stored.get(0)))
                .hasMessageContaining("account-6@0 of type 'account.Opened' revision 1: the upcaster from revision 1 of "
                        + "'account.Opened' returned revision 1 of 'account.Opened'; every result must have a higher revision");
        assertThatThrownBy(() -> backwards.decode(stored.get(1)))
                .hasMessageContaining("account-6@1 of type 'Legacy' revision 1: the upcaster from revision 1 of 'Legacy' failed: "
                        + "java.lang.IllegalStateException: boom")
                .hasCauseInstanceOf(IllegalStateException.class);
    }

    @Test
    void anUpcastEventThatDoesNotFitNamesBothRevisions() {
        store.append("account-8", ExpectedVersion.noStream(), raw("account.Deposited", "1", "{\"total\":5}"));
        RecordedEvent stored = store.readStream("account-8", 0, Direction.FORWARD, 1).findFirst().orElseThrow();
        assertThatThrownBy(() -> REVISED.decode(stored))
                .isInstanceOf(EventDecodingException.class)
                .hasMessageContaining("account-8@0 of type 'account.Deposited' revision 1: upcast to 'account.Deposited' "
                        + "revision 2, its data does not fit Deposited");
        assertThat(store.streamVersion("account-9")).isEmpty();
        assertThat(StreamVersions.NO_STREAM).isEqualTo(-1);
    }

    private CommandHandler<AccountCommand, AccountEvent, Account> handler() {
        return CommandHandler.builder(store, new AccountDecider(), REVISED).meterRegistry(new SimpleMeterRegistry()).build();
    }

    private static EventData raw(String type, String revision, String json) {
        Metadata metadata = revision == null ? Metadata.empty() : Metadata.empty().with(EventTypes.SCHEMA_REVISION, revision);
        return new EventData(UUID.randomUUID(), type, EventData.JSON, metadata, json.getBytes(StandardCharsets.UTF_8));
    }

    private static ObjectNode object() {
        return JsonNodeFactory.instance.objectNode();
    }
}
