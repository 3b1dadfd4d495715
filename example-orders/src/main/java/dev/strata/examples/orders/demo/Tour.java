package dev.strata.examples.orders.demo;

import dev.strata.eventstore.Direction;
import dev.strata.eventstore.Durability;
import dev.strata.eventstore.ExpectedVersion;
import dev.strata.eventstore.RecordedEvent;
import dev.strata.eventstore.StreamVersions;
import dev.strata.examples.orders.Catalog;
import dev.strata.examples.orders.OrderRequest;
import dev.strata.examples.orders.OrderSystem;
import dev.strata.examples.orders.PlacedOrder;
import dev.strata.examples.orders.inventory.Stock;
import dev.strata.examples.orders.order.OrderService;
import dev.strata.examples.orders.payment.PaymentService;
import dev.strata.examples.orders.readmodel.OrderSummary;
import dev.strata.examples.orders.readmodel.StockLevel;
import dev.strata.projections.Row;
import dev.strata.relay.TopicMapping;
import dev.strata.saga.SagaMessages;
import dev.strata.saga.SagaStatus;
import dev.strata.saga.SagaSummary;
import io.cloudevents.CloudEvent;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

/** The default {@code strata demo}: two orders, their timelines, idempotency, the relay, the read models. */
final class Tour {

    private static final Duration WAIT = Duration.ofSeconds(30);

    private final PrintWriter out;
    private final Path data;
    private final Durability durability;
    private final PublishedEvents published;
    private final String kafka;
    private final List<String> problems = new ArrayList<>();

    Tour(PrintWriter out, Path data, Durability durability, PublishedEvents published, String kafka) {
        this.out = out;
        this.data = data;
        this.durability = durability;
        this.published = published;
        this.kafka = kafka;
    }

    /** One order's run: its request, outcome and events. */
    private record Run(OrderRequest request, SagaSummary outcome, List<RecordedEvent> events) {
    }

    int run() throws Exception {
        ReadModelPhotos photos = new ReadModelPhotos();
        try (OrderSystem shop = OrderSystem.builder(data).durability(durability).relay(DemoCommand.relayName(kafka), published)
                .beforeParticipantCall(photos).open()) {
            photos.attach(shop);
            awaitResumedSagas(shop);
            introduce(shop);

            Run first = order(shop, photos, 1, OrderRequest.of("ada", "widget", 1, "tok_visa"), false);
            expect(first.outcome().status() == SagaStatus.COMPLETED, "order 1 should be confirmed, its saga is " + first.outcome().status());
            Run second = order(shop, photos, 2, OrderRequest.of("bob", "widget", 1, "tok_chargeDeclined"), true);
            expect(second.outcome().status() == SagaStatus.COMPENSATED, "order 2 should be cancelled, its saga is " + second.outcome().status());

            idempotency(shop, first, second);
            relay(shop, first, second);
            readModels(shop, first, second);
            next(first);
        }
        if (!problems.isEmpty()) {
            problems.forEach(problem -> out.println("UNEXPECTED: " + problem));
            out.flush();
            return 1;
        }
        return 0;
    }

    private void expect(boolean condition, String problem) {
        if (!condition) {
            problems.add(problem);
        }
    }

    /** Sagas left unfinished by an earlier run that was killed are finished first, so they stay out of the timelines. */
    private void awaitResumedSagas(OrderSystem shop) throws InterruptedException {
        int resumed = shop.sagas().activeSagas();
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (shop.sagas().activeSagas() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        if (resumed > 0) {
            out.printf("(finished %d sagas that an earlier run left unfinished)%n%n", resumed);
        }
    }

    private void introduce(OrderSystem shop) {
        long head = shop.store().headPosition();
        Stock widgets = shop.inventory().stock("widget");
        if (widgets.available() < 2) {
            shop.restock("widget", 10);
        }
        out.println("Strata demo: the order saga of the worked example, on an embedded store");
        out.println();
        out.println("  A customer orders one widget at $42.00. Four services keep their own state, each in its own streams:");
        out.println("  order (order-<id>), inventory (stock-<sku>), payment (payment-<id>, reached by messages) and shipping");
        out.println("  (shipment-<id>). The saga place_order runs place > reserve > charge > ship > confirm; when a step fails");
        out.println("  for good, the steps done are undone last first. Undoing is not a rollback: the widget really was held.");
        out.println();
        out.printf("  store        %s (%s), %s%n", data.toAbsolutePath().normalize(), durability,
                head == StreamVersions.NO_POSITION ? "new" : "head position " + head + " from earlier runs");
        out.printf("  read models  order-list, stock-levels, order-counts in %s%n", data.resolve("projections"));
        out.printf("  relay        the order events, as CloudEvents, to %s%s%n", published.describe(),
                kafka == null ? " (--kafka HOST:PORT for a real broker)" : ", topic order");
        Stock now = shop.inventory().stock("widget");
        out.printf("  stock        widget %d available, %d reserved%s%n", now.available(), now.reserved(),
                widgets.available() < 2 ? " (restocked +10)" : "");
        out.println();
    }

    private Run order(OrderSystem shop, ReadModelPhotos photos, int number, OrderRequest request, boolean redeliverPaymentFailed)
            throws Exception {
        String id = request.orderId();
        out.printf("== Order %d: %s buys %d x %s (%s), pays with %s ==%n%n", number, request.customer(), request.quantity(),
                request.sku(), Catalog.dollars(request.totalCents()), request.card());
        Map<UUID, String> notes = new ConcurrentHashMap<>();
        AtomicBoolean redelivered = new AtomicBoolean(!redeliverPaymentFailed);
        photos.follow(id, request.sku(), () -> {
            // Before the first compensation runs, deliver the payment service's PaymentFailed reply a second time,
            // as a broker or a retrying participant might: the saga must not undo anything twice.
            if (!redelivered.get() && shop.saga(id).map(s -> s.status() == SagaStatus.COMPENSATING).orElse(false)) {
                redelivered.set(true);
                redeliverPaymentFailed(shop, id).ifPresent(copy -> notes.put(copy, "the same reply delivered again: ignored"));
            }
        });
        long from = shop.store().headPosition() + 1;
        PlacedOrder placed = shop.placeOrder(request);
        SagaSummary outcome = placed.outcome().get(WAIT.toSeconds(), TimeUnit.SECONDS);
        shop.awaitReadModels(outcome.lastPosition(), WAIT);
        photos.take();
        List<ReadModelPhotos.Photo> taken = photos.photos();
        photos.follow(null, null, () -> { });

        List<RecordedEvent> events;
        try (Stream<RecordedEvent> log = shop.store().readAll(from, Integer.MAX_VALUE)) {
            events = log.takeWhile(event -> event.position() <= outcome.lastPosition())
                    .filter(event -> event.metadata().correlationId().filter(id::equals).isPresent())
                    .toList();
        }
        new Timeline(out).print(events, taken, notes);
        String verdict = outcome.status() == SagaStatus.COMPLETED ? "CONFIRMED" : "CANCELLED (" + outcome.reason() + ")";
        out.printf("%n  Order %s: %s. %d events, positions %d..%d, across %d streams.%n%n", id,
                outcome.status() == SagaStatus.COMPLETED ? "CONFIRMED" : "CANCELLED",
                events.size(), events.get(0).position(), events.get(events.size() - 1).position(),
                events.stream().map(RecordedEvent::stream).distinct().count());
        if (redeliverPaymentFailed) {
            expect(redelivered.get() && !notes.isEmpty(), "the PaymentFailed reply of order " + id + " was not delivered a second time");
        }
        return new Run(request, outcome, events);
    }

    /** Appends a copy of the order's PaymentFailed reply with a new event id: a second delivery, not a retried append. */
    private static Optional<UUID> redeliverPaymentFailed(OrderSystem shop, String orderId) {
        String replies = SagaMessages.replyStream(PaymentService.PARTICIPANT);
        Optional<RecordedEvent> reply;
        try (Stream<RecordedEvent> last = shop.store().readStream(replies, StreamVersions.END, Direction.BACKWARD, 10)) {
            reply = last.filter(event -> event.type().equals("PaymentFailed")
                    && event.metadata().correlationId().filter(orderId::equals).isPresent()).findFirst();
        }
        return reply.map(original -> {
            UUID copy = UUID.randomUUID();
            shop.store().append(replies, ExpectedVersion.any(), original.toEventData().withId(copy));
            return copy;
        });
    }

    private void idempotency(OrderSystem shop, Run first, Run second) {
        out.println("== Idempotency ==");
        out.println();
        PlacedOrder again = shop.placeOrder(first.request());
        long orderEvents;
        try (Stream<RecordedEvent> events = shop.store().readStream(OrderService.stream(first.request().orderId()), 0, Direction.FORWARD, 100)) {
            orderEvents = events.count();
        }
        out.printf("  place order %s again, same request  -> %s: %s still has %d events, one saga%n",
                first.request().orderId(), again.duplicate() ? "a duplicate, nothing new" : "PLACED AGAIN",
                OrderService.stream(first.request().orderId()), orderEvents);
        expect(again.duplicate() && orderEvents == 2, "placing order 1 again placed something");

        String id = second.request().orderId();
        long failedReplies = second.events().stream().filter(event -> event.type().equals("PaymentFailed")
                && event.stream().equals(SagaMessages.replyStream(PaymentService.PARTICIPANT))).count();
        long released = second.events().stream().filter(event -> event.type().equals("StockReleased")).count();
        out.printf("  PaymentFailed for %s delivered %d times   -> stock released %d time%s%n", id, failedReplies, released,
                released == 1 ? "" : "s");
        expect(released == 1, "order 2's stock was released " + released + " times");
        out.println();
    }

    private void relay(OrderSystem shop, Run first, Run second) throws InterruptedException {
        long last = Math.max(lastOrderEvent(first), lastOrderEvent(second));
        boolean caughtUp = shop.relay().orElseThrow().awaitCheckpoint(last, WAIT);
        expect(caughtUp, "the relay did not publish up to position " + last + " within " + WAIT.toSeconds() + " s");
        List<String> subjects = List.of(OrderService.stream(first.request().orderId()), OrderService.stream(second.request().orderId()));
        List<CloudEvent> ours = published.published().stream().filter(event -> subjects.contains(event.getSubject())).toList();
        out.printf("== What the relay published: the order events, as CloudEvents, to %s ==%n%n", published.describe());
        out.printf("  %-8s %-20s %-16s %-10s %s%n", "position", "subject (= key)", "type", "topic", "id");
        for (CloudEvent event : ours) {
            out.printf("  %8s %-20s %-16s %-10s %s%n", event.getExtension("position"), event.getSubject(), event.getType(),
                    TopicMapping.perCategory().topicFor(event.getSubject()), event.getId());
        }
        int others = published.published().size() - ours.size();
        if (others > 0) {
            out.printf("  (and %d events of earlier orders, published from the relay's checkpoint on)%n", others);
        }
        expect(ours.size() == 4, "the relay published " + ours.size() + " events of the two orders, not 4");
        out.println();
    }

    private static long lastOrderEvent(Run run) {
        String stream = OrderService.stream(run.request().orderId());
        return run.events().stream().filter(event -> event.stream().equals(stream)).mapToLong(RecordedEvent::position).max().orElse(0);
    }

    private void readModels(OrderSystem shop, Run first, Run second) {
        out.println("== The read models now ==");
        out.println();
        for (Run run : List.of(first, second)) {
            OrderSummary row = shop.orderList().get(run.request().orderId()).orElseThrow();
            out.printf("  order-list    %s  %-4s %d x %-7s %8s  %s%n", row.orderId(), row.customer(), row.quantity(), row.sku(),
                    Catalog.dollars(row.totalCents()), ReadModelPhotos.order(row).substring(row.orderId().length() + 1));
        }
        for (Row<String, StockLevel> level : shop.stockLevels().scanPrefix("", 100)) {
            out.printf("  stock-levels  %s%n", ReadModelPhotos.stock(level.value()));
        }
        out.printf("  order-counts  %s%n%n", ReadModelPhotos.counts(shop));
    }

    private void next(Run first) {
        String dir = data.toString();
        out.println("Next:");
        out.println("  ./strata demo --serve                 the same shop behind an HTTP API (prints curl commands)");
        out.println("  ./strata demo --load 1000             a thousand orders: some cards declined, some products sold out");
        out.printf("  ./strata sagas list --data %s       every saga and where it is%n", dir);
        out.printf("  ./strata dump --data %s --stream %s   an order's events as CloudEvents%n", dir,
                OrderService.stream(first.request().orderId()));
        out.printf("  ./strata replay --data %s --projection order-list --verify   rebuild a read model from the log%n", dir);
        out.flush();
    }
}
