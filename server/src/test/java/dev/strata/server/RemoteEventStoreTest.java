package dev.strata.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.strata.eventstore.AppendResult;
import dev.strata.eventstore.Durability;
import dev.strata.eventstore.EventStore;
import dev.strata.eventstore.ExpectedVersion;
import dev.strata.eventstore.ValidationException;
import dev.strata.eventstore.remote.RemoteEventStore;
import dev.strata.eventstore.testkit.EventStoreContract;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The contract suite through the remote client against a real server on a free port: the same behaviour as the
 * embedded store, subscriptions included, with typed exceptions coming back typed.
 */
class RemoteEventStoreTest extends EventStoreContract {

    @TempDir
    Path directory;

    private StrataServer server;

    @Override
    protected EventStore newStore() {
        server = StrataServer.builder().dataDirectory(directory.resolve("store")).port(0).durability(Durability.OS).start();
        return RemoteEventStore.connect(server.uri());
    }

    @AfterEach
    void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void theRemoteStoreHasTheServersStoreName() {
        assertThat(store.name()).isEqualTo(server.store().name()).isEqualTo("store");
    }

    @Test
    void theSystemAppenderRefusesRemotely() {
        assertThatThrownBy(() -> store.systemAppender().append("$saga-1", ExpectedVersion.any(), event("A")))
                .isInstanceOfSatisfying(ValidationException.class, e -> {
                    assertThat(e.field()).isEqualTo("stream");
                    assertThat(e.rule()).contains("system ($) streams");
                });
        assertThat(server.store().headPosition()).isEqualTo(-1);
    }

    @Test
    void eventsAppendedRemotelyReadBackEmbeddedIdentically() {
        store.append("order-1", ExpectedVersion.noStream(), events(3));
        assertThat(server.store().readAll(0, 10).toList()).isEqualTo(store.readAll(0, 10).toList());
        assertThat(server.store().readAll(0, 10).toList()).allSatisfy(e -> assertThat(e.metadata().isEmpty()).isTrue());
    }

    @Test
    void moreAsynchronousAppendsThanThreadsAllComplete() {
        List<CompletableFuture<AppendResult>> appends = new ArrayList<>();
        for (int i = 0; i < 200; i++) { // over the client's 64 threads: the rest wait in its queue
            appends.add(store.appendAsync("queue-" + (i % 10), ExpectedVersion.any(), events(1)));
        }
        CompletableFuture.allOf(appends.toArray(new CompletableFuture[0])).join();
        assertThat(server.store().headPosition()).isEqualTo(199);
        assertThat(appends).extracting(append -> append.join().firstPosition()).doesNotHaveDuplicates();
    }

    @Test
    void aClosedRemoteStoreRefusesCalls() {
        store.close();
        assertThatThrownBy(() -> store.headPosition()).isInstanceOf(dev.strata.eventstore.StoreClosedException.class);
        store = null;
        assertThat(List.of()).isEmpty();
    }
}
