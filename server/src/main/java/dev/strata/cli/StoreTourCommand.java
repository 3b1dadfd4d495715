package dev.strata.cli;

import dev.strata.eventstore.AppendRequest;
import dev.strata.eventstore.AppendResult;
import dev.strata.eventstore.Direction;
import dev.strata.eventstore.Durability;
import dev.strata.eventstore.EventData;
import dev.strata.eventstore.EventStore;
import dev.strata.eventstore.ExpectedVersion;
import dev.strata.eventstore.RecordedEvent;
import dev.strata.eventstore.Subscription;
import dev.strata.eventstore.SubscriptionListener;
import dev.strata.eventstore.WrongExpectedVersionException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * A short tour of the store: append, optimistic concurrency, idempotent retry, an atomic multi-stream append,
 * reads, and a live subscription. Runs on a store in {@code ./data}; each run adds a new order.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Tour the event store: append, read back and subscribe on a store in ./data.")
public final class StoreTourCommand implements Callable<Integer> {

    @Option(names = "--data", defaultValue = "data", description = "Store folder (default: ${DEFAULT-VALUE}).")
    Path data;

    @Option(names = "--durability", defaultValue = "FSYNC", description = "FSYNC or OS (default: ${DEFAULT-VALUE}).")
    Durability durability;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        try (EventStore store = EventStore.builder().directory(data).durability(durability).open()) {
            long order = store.headPosition() + 1;
            String stream = "order-" + order;
            out.printf("Store %s in %s (%s): head position %d%n%n", store.name(), data.toAbsolutePath(), durability, store.headPosition());

            CountDownLatch seen = new CountDownLatch(4);
            Subscription subscription = store.subscribeToCategory("order", order, new SubscriptionListener() {
                @Override
                public void onEvent(RecordedEvent event) {
                    out.printf("  [subscription] %s %s@%d position %d%n", event.type(), event.stream(), event.version(), event.position());
                    seen.countDown();
                }

                @Override
                public void onLive() {
                    out.println("  [subscription] caught up, now live");
                }
            });

            EventData placed = EventData.json("OrderPlaced", "{\"item\":\"widget\",\"price\":42}");
            AppendResult first = store.append(stream, ExpectedVersion.noStream(), placed);
            out.printf("append %s OrderPlaced (expect no stream)         -> version %d, position %d%n", stream, first.lastVersion(), first.lastPosition());

            AppendResult retry = store.append(stream, ExpectedVersion.noStream(), placed);
            out.printf("retry the same append (same event id)            -> same result, nothing written: version %d, position %d%n",
                    retry.lastVersion(), retry.lastPosition());

            try {
                store.append(stream, ExpectedVersion.noStream(), EventData.json("OrderPlaced", "{}"));
            } catch (WrongExpectedVersionException e) {
                out.printf("append a second OrderPlaced (expect no stream)  -> refused: %s%n", e.getMessage());
            }

            List<AppendResult> both = store.appendAll(List.of(
                    AppendRequest.of(stream, first.expectNext(), EventData.json("OrderPaid", "{\"amount\":42}")),
                    AppendRequest.of("payment-" + order, ExpectedVersion.noStream(), EventData.json("PaymentCaptured", "{\"amount\":42}"))));
            out.printf("atomic append to %s and payment-%d        -> positions %d and %d%n", stream, order,
                    both.get(0).lastPosition(), both.get(1).lastPosition());

            AppendResult shipped = store.append(stream, both.get(0).expectNext(), EventData.json("OrderShipped", "{}"),
                    EventData.json("OrderDelivered", "{}"));
            out.printf("append two events to %s                     -> versions %d..%d, positions %d..%d%n%n", stream,
                    shipped.firstVersion(), shipped.lastVersion(), shipped.firstPosition(), shipped.lastPosition());

            out.printf("read %s forward:%n", stream);
            try (var events = store.readStream(stream, 0, Direction.FORWARD, 100)) {
                events.forEach(e -> out.printf("  %s@%d position %d %s %s%n", e.stream(), e.version(), e.position(), e.type(), e.dataAsString()));
            }
            out.printf("read the global log from position %d:%n", order);
            try (var events = store.readAll(order, 100)) {
                events.forEach(e -> out.printf("  position %d %s@%d %s%n", e.position(), e.stream(), e.version(), e.type()));
            }
            boolean all = seen.await(10, TimeUnit.SECONDS);
            subscription.close();
            out.printf("%nsubscription to category 'order' saw %s; head position is now %d%n",
                    all ? "all 4 order events" : "fewer events than expected", store.headPosition());
            return all ? 0 : 1;
        }
    }
}
