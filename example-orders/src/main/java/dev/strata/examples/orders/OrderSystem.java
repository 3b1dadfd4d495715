package dev.strata.examples.orders;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.strata.eventstore.Direction;
import dev.strata.eventstore.Durability;
import dev.strata.eventstore.EventStore;
import dev.strata.eventstore.Metadata;
import dev.strata.eventstore.RecordedEvent;
import dev.strata.eventstore.ValidationException;
import dev.strata.examples.orders.inventory.InventoryService;
import dev.strata.examples.orders.order.OrderService;
import dev.strata.examples.orders.payment.PaymentService;
import dev.strata.examples.orders.readmodel.OrderProjections;
import dev.strata.examples.orders.readmodel.OrderSummary;
import dev.strata.examples.orders.readmodel.StockLevel;
import dev.strata.examples.orders.shipping.ShippingService;
import dev.strata.projections.ProjectionPipeline;
import dev.strata.relay.EventSink;
import dev.strata.relay.OutboxRelay;
import dev.strata.relay.RelayFilter;
import dev.strata.projections.ReadModel;
import dev.strata.saga.SagaDefinition;
import dev.strata.saga.SagaEvent;
import dev.strata.saga.SagaHandle;
import dev.strata.saga.SagaLog;
import dev.strata.saga.SagaOrchestrator;
import dev.strata.saga.SagaStateException;
import dev.strata.saga.SagaSummary;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The shop in one process, on one store: the four services, the place-order saga, the read models, and (optionally)
 * the relay. Everything lives in one folder:
 *
 * <pre>
 * data/             the event store: every service's streams, the saga logs, the payment messages
 * data/projections  the read models (RocksDB): order-list, stock-levels, order-counts
 * data/saga-view    the saga view (RocksDB), what {@code strata sagas list} reads
 * data/relays       the relay's checkpoint (when the shop publishes its order events)
 * </pre>
 *
 * Opening it resumes whatever was in flight: the projections from their checkpoints, the payment service from its
 * last answer, every unfinished saga where its log says it stopped. Close it to stop (in the reverse order of
 * opening); a crash instead is fine too, that is what the log is for.
 */
public final class OrderSystem implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(OrderSystem.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path directory;
    private final Deque<AutoCloseable> opened = new ArrayDeque<>();
    private final EventStore store;
    private final ProjectionPipeline projections;
    private final OrderService orders;
    private final InventoryService inventory;
    private final ShippingService shipping;
    private final PaymentService payments;
    private final SagaDefinition<PlaceOrderSaga.State> placeOrder;
    private final SagaOrchestrator sagas;
    private final OutboxRelay relay;
    private final ScheduledExecutorService timers;

    private OrderSystem(Builder settings) {
        this.directory = settings.directory;
        try {
            store = opened(EventStore.builder().directory(directory).durability(settings.durability).open());
            projections = opened(ProjectionPipeline.builder(store).directory(directory.resolve("projections"))
                    .with(new OrderProjections()).open());
            projections.start();
            orders = new OrderService(store);
            inventory = new InventoryService(store);
            shipping = new ShippingService(store, settings.clock);
            payments = opened(PaymentService.start(store, settings.beforeParticipantCall));
            placeOrder = PlaceOrderSaga.definition(orders, inventory, shipping, store);
            SagaOrchestrator.Builder orchestrator = SagaOrchestrator.builder(store)
                    .register(placeOrder)
                    .viewDirectory(directory.resolve("saga-view"))
                    .clock(settings.clock);
            ExecutorService calls = openedExecutor(new HookedExecutor(settings.beforeParticipantCall));
            sagas = opened(orchestrator.callExecutor(calls).start());
            relay = settings.relaySink == null ? null : opened(OutboxRelay.builder()
                    .name(settings.relayName)
                    .store(store)
                    .sink(settings.relaySink)
                    .filter(RelayFilter.categories("order")) // the order service's events are the shop's public ones
                    .checkpointDirectory(directory.resolve("relays"))
                    .start());
            timers = openedExecutor(Executors.newSingleThreadScheduledExecutor(daemon("orders-timer")));
        } catch (RuntimeException | Error e) {
            close();
            throw e;
        }
        LOG.info("Order system open on {} (head position {})", directory, store.headPosition());
    }

    /** Opens the shop on the store in {@code directory} (created if missing), with FSYNC durability. */
    public static OrderSystem open(Path directory) {
        return builder(directory).open();
    }

    public static Builder builder(Path directory) {
        return new Builder(directory);
    }

    /**
     * Places an order: starts its saga (durably) and returns without waiting for it to finish. Placing the same
     * request again (same order id) is safe: it starts nothing and returns the first order, marked duplicate.
     *
     * @throws ValidationException     if the request breaks a rule (its constructor checks them)
     * @throws OrderIdInUseException   if the order id was used for a different request
     * @throws OrderBeingPlacedException if another call is placing this order and its saga did not start within 5 s
     */
    public PlacedOrder placeOrder(OrderRequest request) {
        return placeOrder(request, Metadata.empty());
    }

    /**
     * As {@link #placeOrder(OrderRequest)}, carrying the caller's W3C trace context ({@code traceparent},
     * {@code tracestate} in {@code trace}) into the saga's events and its messages to the payment service.
     */
    public PlacedOrder placeOrder(OrderRequest request, Metadata trace) {
        if (trace == null) {
            throw new ValidationException("trace", null, "must not be null (use Metadata.empty())");
        }
        if (request == null) {
            throw new ValidationException("request", null, "must not be null");
        }
        String orderId = request.orderId();
        for (int attempt = 1; ; attempt++) {
            try {
                SagaHandle handle = sagas.start(placeOrder, orderId, PlaceOrderSaga.State.of(request), trace);
                SagaSummary started = handle.started().join();
                return new PlacedOrder(orderId, false, started.lastPosition(), handle.finished());
            } catch (SagaStateException runningHere) {
                // another call of this process is starting or running it
            } catch (CompletionException e) {
                if (!(e.getCause() instanceof SagaStateException)) {
                    throw e.getCause() instanceof RuntimeException cause ? cause : e;
                }
            }
            // The saga id is taken: the order was placed before. A retry gets that order, if it asks for the same thing.
            Optional<OrderRequest> first = firstRequest(orderId);
            if (first.isPresent()) {
                if (!first.get().equals(request)) {
                    throw new OrderIdInUseException(orderId, first.get(), request);
                }
                SagaSummary now = saga(orderId).orElseThrow();
                CompletableFuture<SagaSummary> outcome = now.status().isActive() ? outcome(orderId) : CompletableFuture.completedFuture(now);
                return new PlacedOrder(orderId, true, now.lastPosition(), outcome);
            }
            // A concurrent call is between claiming the id and writing the saga's start: its start is a moment away
            // (or failed, and then this call starts the saga itself).
            if (attempt == 1000) {
                throw new OrderBeingPlacedException(orderId);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
        }
    }

    /** The saga of order {@code orderId} as its log says now, if there is one. */
    public Optional<SagaSummary> saga(String orderId) {
        return sagas.find(PlaceOrderSaga.TYPE, orderId);
    }

    /** Completes when the order's saga is finished (or stuck); polls the saga's log. */
    public CompletableFuture<SagaSummary> outcome(String orderId) {
        CompletableFuture<SagaSummary> outcome = new CompletableFuture<>();
        pollOutcome(orderId, outcome);
        return outcome;
    }

    private void pollOutcome(String orderId, CompletableFuture<SagaSummary> outcome) {
        try {
            Optional<SagaSummary> saga = saga(orderId);
            if (saga.isPresent() && !saga.get().status().isActive()) {
                outcome.complete(saga.get());
            } else {
                timers.schedule(() -> pollOutcome(orderId, outcome), 10, TimeUnit.MILLISECONDS);
            }
        } catch (RuntimeException closing) { // the shop closed under it (the store, or the timers): tell the waiter
            outcome.completeExceptionally(closing);
        }
    }

    /** The request the order's saga was started with, if it was. */
    private Optional<OrderRequest> firstRequest(String orderId) {
        List<RecordedEvent> log;
        try (Stream<RecordedEvent> events = store.readStream(SagaLog.streamName(PlaceOrderSaga.TYPE, orderId), 0, Direction.FORWARD, 1)) {
            log = events.toList();
        }
        if (log.isEmpty()) {
            return Optional.empty();
        }
        SagaEvent.SagaStarted started = (SagaEvent.SagaStarted) SagaLog.decode(log.get(0));
        try {
            return Optional.of(JSON.treeToValue(started.state(), PlaceOrderSaga.State.class).request());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("saga " + orderId + " does not hold a " + PlaceOrderSaga.State.class.getSimpleName(), e);
        }
    }

    /** Goods in: adds {@code quantity} to the product's stock. */
    public void restock(String sku, int quantity) {
        Catalog.priceCents(sku); // only products of the catalog
        inventory.restock(sku, quantity);
    }

    /** Waits until every read model has applied the log up to {@code position} (read-your-writes). */
    public void awaitReadModels(long position, Duration timeout) {
        for (String projection : List.of(OrderProjections.ORDER_LIST.name(), OrderProjections.STOCK_LEVELS.name(),
                OrderProjections.ORDER_COUNTS.name())) {
            projections.awaitPosition(projection, position, timeout);
        }
    }

    public ReadModel<String, OrderSummary> orderList() {
        return projections.readModel(OrderProjections.ORDER_LIST);
    }

    public ReadModel<String, StockLevel> stockLevels() {
        return projections.readModel(OrderProjections.STOCK_LEVELS);
    }

    public ReadModel<String, Long> orderCounts() {
        return projections.readModel(OrderProjections.ORDER_COUNTS);
    }

    /** The relay that publishes the order events, if the shop was opened with a sink. */
    public Optional<OutboxRelay> relay() {
        return Optional.ofNullable(relay);
    }

    public EventStore store() {
        return store;
    }

    public Path directory() {
        return directory;
    }

    public ProjectionPipeline projections() {
        return projections;
    }

    public SagaOrchestrator sagas() {
        return sagas;
    }

    public OrderService orders() {
        return orders;
    }

    public InventoryService inventory() {
        return inventory;
    }

    public PaymentService payments() {
        return payments;
    }

    public ShippingService shipping() {
        return shipping;
    }

    private <T extends AutoCloseable> T opened(T resource) {
        opened.push(resource);
        return resource;
    }

    private <T extends ExecutorService> T openedExecutor(T executor) {
        opened.push(executor::shutdownNow);
        return executor;
    }

    /** Closes in the reverse order of opening: timers, relay, sagas, payments, read models, and the store last. */
    @Override
    public void close() {
        RuntimeException failure = null;
        while (!opened.isEmpty()) {
            try {
                opened.pop().close();
            } catch (Exception e) {
                if (failure == null) {
                    failure = e instanceof RuntimeException runtime ? runtime : new IllegalStateException(e);
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    private static java.util.concurrent.ThreadFactory daemon(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return task -> {
            Thread thread = new Thread(task, prefix + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    /** The saga's local participant calls, each after the hook (which does nothing unless the demo sets one). */
    private static final class HookedExecutor extends AbstractExecutorService {
        private final ExecutorService threads = Executors.newFixedThreadPool(16, daemon("orders-call"));
        private final Runnable hook;

        HookedExecutor(Runnable hook) {
            this.hook = hook;
        }

        @Override
        public void execute(Runnable call) {
            threads.execute(() -> {
                hook.run();
                call.run();
            });
        }

        @Override
        public void shutdown() {
            threads.shutdown();
        }

        @Override
        public List<Runnable> shutdownNow() {
            return threads.shutdownNow();
        }

        @Override
        public boolean isShutdown() {
            return threads.isShutdown();
        }

        @Override
        public boolean isTerminated() {
            return threads.isTerminated();
        }

        @Override
        public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
            return threads.awaitTermination(timeout, unit);
        }
    }

    /** The shop's settings; every one has a default. */
    public static final class Builder {
        private final Path directory;
        private Durability durability = Durability.FSYNC;
        private Clock clock = Clock.systemUTC();
        private Runnable beforeParticipantCall = () -> { };
        private String relayName;
        private EventSink relaySink;

        private Builder(Path directory) {
            if (directory == null) {
                throw new ValidationException("directory", null, "must be set");
            }
            this.directory = directory;
        }

        /** When an append is acknowledged; {@link Durability#FSYNC} (on disk) by default. */
        public Builder durability(Durability mode) {
            if (mode == null) {
                throw new ValidationException("durability", null, "must not be null");
            }
            this.durability = mode;
            return this;
        }

        /** The clock of the sagas' timers and of shipping's pickup dates; the system clock by default. */
        public Builder clock(Clock newClock) {
            if (newClock == null) {
                throw new ValidationException("clock", null, "must not be null");
            }
            this.clock = newClock;
            return this;
        }

        /**
         * Runs before every participant call (each local step and compensation, and each payment command): the demo
         * uses it to photograph the read models between steps; tests use it to inject faults.
         */
        public Builder beforeParticipantCall(Runnable hook) {
            if (hook == null) {
                throw new ValidationException("beforeParticipantCall", null, "must not be null");
            }
            this.beforeParticipantCall = hook;
            return this;
        }

        /**
         * Publishes the order events (stream category {@code order}) to {@code sink} as CloudEvents, through an
         * {@link OutboxRelay} named {@code name} whose checkpoint is {@code <directory>/relays/<name>.checkpoint}. The
         * shop owns the sink from here on and closes it. Without this, nothing is published.
         */
        public Builder relay(String name, EventSink sink) {
            if (sink == null) {
                throw new ValidationException("relay.sink", null, "must not be null");
            }
            this.relayName = name;
            this.relaySink = sink;
            return this;
        }

        public OrderSystem open() {
            return new OrderSystem(this);
        }
    }
}
