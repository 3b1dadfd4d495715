package dev.strata.eventstore.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.strata.eventstore.EventData;
import dev.strata.eventstore.Metadata;
import dev.strata.eventstore.RecordedEvent;
import dev.strata.eventstore.ValidationException;
import dev.strata.eventstore.model.bank.AccountEvent;
import dev.strata.eventstore.model.bank.AccountEvent.Deposited;
import dev.strata.eventstore.model.bank.AccountEvent.Opened;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class EventTypesTest {

    private static final EventTypes<AccountEvent> TYPES = AccountEvent.TYPES;

    @Test
    void encodesAsJsonWithTypeNameAndRevision() {
        UUID id = UUID.randomUUID();
        EventData data = TYPES.encode(new Deposited(42), id, Metadata.empty().with(Metadata.CORRELATION_ID, "c-1"));
        assertThat(data.id()).isEqualTo(id);
        assertThat(data.type()).isEqualTo("account.Deposited");
        assertThat(data.contentType()).isEqualTo(EventData.JSON);
        assertThat(new String(data.data(), StandardCharsets.UTF_8)).isEqualTo("{\"amount\":42}");
        assertThat(data.metadata().asMap()).containsEntry("correlationid", "c-1").containsEntry(EventTypes.SCHEMA_REVISION, "1");
        assertThat(TYPES.decode(recorded(data))).containsExactly(new Deposited(42));
    }

    sealed interface Timed {
    }

    record Stamped(Instant at) implements Timed {
    }

    @Test
    void javaTimeTypesAreIsoStrings() {
        EventTypes<Timed> types = EventTypes.builder(Timed.class).register("Stamped", Stamped.class).build();
        Stamped event = new Stamped(Instant.parse("2026-05-01T10:15:30.123456Z"));
        EventData data = types.encode(event, UUID.randomUUID(), Metadata.empty());
        assertThat(new String(data.data(), StandardCharsets.UTF_8)).isEqualTo("{\"at\":\"2026-05-01T10:15:30.123456Z\"}");
        assertThat(types.decode(recorded(data))).containsExactly(event);
    }

    @Test
    void anUnknownTypeNamesStreamVersionAndType() {
        RecordedEvent event = raw("account.Frozen", null, "{}");
        assertThatThrownBy(() -> TYPES.decode(event))
                .isInstanceOf(EventDecodingException.class)
                .hasMessage("cannot decode event account-7@12 of type 'account.Frozen' revision 1: unknown event type "
                        + "'account.Frozen' (register it, or an upcaster from its revision 1)")
                .satisfies(e -> {
                    EventDecodingException decoding = (EventDecodingException) e;
                    assertThat(decoding.stream()).isEqualTo("account-7");
                    assertThat(decoding.version()).isEqualTo(12);
                    assertThat(decoding.type()).isEqualTo("account.Frozen");
                    assertThat(decoding.isRetryable()).isFalse();
                });
    }

    @Test
    void aPayloadThatDoesNotFitIsAClearError() {
        assertThatThrownBy(() -> TYPES.decode(raw("account.Deposited", null, "{\"amount\":\"lots\"}")))
                .isInstanceOf(EventDecodingException.class)
                .hasMessageStartingWith("cannot decode event account-7@12 of type 'account.Deposited' revision 1: data does not fit Deposited");
        assertThatThrownBy(() -> TYPES.decode(raw("account.Deposited", null, "{}")))
                .hasMessageContaining("data does not fit Deposited").hasMessageContaining("amount");
        assertThatThrownBy(() -> TYPES.decode(raw("account.Deposited", null, "{\"amount\":1,\"currency\":\"EUR\"}")))
                .hasMessageContaining("data does not fit Deposited").hasMessageContaining("currency");
        assertThatThrownBy(() -> TYPES.decode(raw("account.Deposited", null, "not json")))
                .hasMessageContaining("data does not fit Deposited");
    }

    @Test
    void aNewerRevisionOrAMissingUpcasterIsAClearError() {
        assertThatThrownBy(() -> TYPES.decode(raw("account.Opened", "2", "{\"owner\":\"Ada\"}")))
                .isInstanceOf(EventDecodingException.class)
                .hasMessageContaining("revision 2 of 'account.Opened' is newer than the model's revision 1 (written by a newer model?)");
        EventTypes<AccountEvent> revised = revisedOpened().build();
        assertThatThrownBy(() -> revised.decode(raw("account.Opened", "1", "{\"name\":\"Ada\"}")))
                .hasMessageContaining("no upcaster from revision 1 of 'account.Opened' (current revision 2)");
        assertThatThrownBy(() -> TYPES.decode(raw("account.Opened", "zero", "{}")))
                .hasMessageContaining("metadata schemarev must be a revision >= 1 but was 'zero'");
    }

    @Test
    void onlyJsonIsRead() {
        RecordedEvent xml = new RecordedEvent(UUID.randomUUID(), "account-7", 12, 99, "account.Opened", Instant.EPOCH,
                "application/xml", Metadata.empty(), "<x/>".getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> TYPES.decode(xml)).hasMessageContaining("content type 'application/xml' is not JSON");
    }

    @Test
    void anUnregisteredClassCannotBeEncoded() {
        EventTypes<AccountEvent> partial = EventTypes.builder(AccountEvent.class)
                .register("account.Opened", Opened.class)
                .register("account.Deposited", Deposited.class)
                .register("account.Withdrawn", AccountEvent.Withdrawn.class)
                .register("account.Closed", AccountEvent.Closed.class)
                .build();
        assertThatThrownBy(() -> partial.encode(null, UUID.randomUUID(), Metadata.empty()))
                .isInstanceOf(ValidationException.class).hasMessageContaining("event must not be null");
    }

    @Test
    void buildChecksEverything() {
        assertThatThrownBy(() -> EventTypes.builder(AccountEvent.class).register("account.Opened", Opened.class).build())
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("event types must be registered: every concrete permitted subclass of sealed")
                .hasMessageContaining("AccountEvent$Closed").hasMessageContaining("AccountEvent$Deposited");
        assertThatThrownBy(() -> allFour().register("account.Opened", 2, Opened.class).build())
                .hasMessageContaining("type must be registered once but was 'account.Opened'");
        assertThatThrownBy(() -> allFour().register("other.Opened", Opened.class).build())
                .hasMessageContaining("must be registered once (it is already 'account.Opened')");
        assertThatThrownBy(() -> EventTypes.builder(AccountEvent.class).register("bad type", Opened.class).build())
                .hasMessageContaining("type must match");
        assertThatThrownBy(() -> EventTypes.builder(AccountEvent.class).register("x", 0, Opened.class).build())
                .hasMessageContaining("revision of 'x' must be >= 1 but was 0");
        assertThatThrownBy(() -> allFour().upcaster(Upcaster.renameField("account.Opened", 1, "a", "b")).build())
                .hasMessageContaining("must read a revision older than the registered current revision 1");
        assertThatThrownBy(() -> revisedOpened().upcaster(Upcaster.renameField("account.Opened", 1, "a", "b"))
                .upcaster(Upcaster.renameField("account.Opened", 1, "c", "d")).build())
                .hasMessageContaining("must be the only upcaster from that revision of that type");
    }

    private static EventTypesBuilder<AccountEvent> allFour() {
        return EventTypes.builder(AccountEvent.class)
                .register("account.Opened", Opened.class)
                .register("account.Deposited", Deposited.class)
                .register("account.Withdrawn", AccountEvent.Withdrawn.class)
                .register("account.Closed", AccountEvent.Closed.class);
    }

    private static EventTypesBuilder<AccountEvent> revisedOpened() {
        return EventTypes.builder(AccountEvent.class)
                .register("account.Opened", 2, Opened.class)
                .register("account.Deposited", Deposited.class)
                .register("account.Withdrawn", AccountEvent.Withdrawn.class)
                .register("account.Closed", AccountEvent.Closed.class);
    }

    static RecordedEvent recorded(EventData data) {
        return new RecordedEvent(data.id(), "account-7", 12, 99, data.type(), Instant.EPOCH, data.contentType(),
                data.metadata(), data.data());
    }

    private static RecordedEvent raw(String type, String revision, String json) {
        Metadata metadata = revision == null ? Metadata.empty() : Metadata.empty().with(EventTypes.SCHEMA_REVISION, revision);
        return new RecordedEvent(UUID.randomUUID(), "account-7", 12, 99, type, Instant.EPOCH, EventData.JSON, metadata,
                json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void decodesTheRevisionFromMetadataDefaultingToOne() {
        assertThat(EventTypes.revisionOf(raw("x", null, "{}"))).isEqualTo(1);
        assertThat(EventTypes.revisionOf(raw("x", "7", "{}"))).isEqualTo(7);
        assertThat(TYPES.revisionOf("account.Opened")).isEqualTo(1);
        assertThat(TYPES.revisionOf("nope")).isZero();
        assertThat(TYPES.typeOf(new Opened("x"))).isEqualTo("account.Opened");
        assertThat(List.copyOf(TYPES.typeNames())).hasSize(4);
    }
}
