package dev.strata.examples.orders.inventory;

import dev.strata.eventstore.EventStore;
import dev.strata.eventstore.model.Command;
import dev.strata.eventstore.model.CommandHandler;
import dev.strata.eventstore.model.CommandResult;
import dev.strata.examples.orders.StepCommands;
import dev.strata.examples.orders.inventory.StockCommand.AddStock;
import dev.strata.examples.orders.inventory.StockCommand.ReleaseStock;
import dev.strata.examples.orders.inventory.StockCommand.ReserveStock;
import java.util.concurrent.CompletionException;

/**
 * The inventory service: one stream per product, {@code stock-<sku>}, kept by the {@link StockDecider}.
 *
 * <p>Every order of a product goes through that product's stream, so it is hot. Commands go through
 * {@code handleAsync}, which decides the commands of one stream one after the other in this process (no version
 * conflicts among ourselves) and lets concurrent appends share the store's group commit.
 */
public final class InventoryService {

    private final CommandHandler<StockCommand, StockEvent, Stock> stock;

    public InventoryService(EventStore store) {
        this.stock = CommandHandler.builder(store, new StockDecider(), StockEvent.TYPES).name("inventory").build();
    }

    public static String stream(String sku) {
        return "stock-" + sku;
    }

    /** Holds stock for an order: the outcome is {@link StockEvent.StockReserved} or {@link StockEvent.StockReservationFailed}. */
    public StockEvent reserve(String idempotencyKey, String orderId, String sku, int quantity) {
        return handle(StepCommands.command(stream(sku), new ReserveStock(sku, orderId, quantity), idempotencyKey, orderId))
                .events().get(0);
    }

    public void release(String idempotencyKey, String orderId, String sku, int quantity) {
        handle(StepCommands.command(stream(sku), new ReleaseStock(sku, orderId, quantity), idempotencyKey, orderId));
    }

    /** Goods in (an operator's command: a fresh command id each call). */
    public CommandResult<StockEvent> restock(String sku, int quantity) {
        return handle(Command.of(stream(sku), new AddStock(sku, quantity)));
    }

    /** The product's stock as its events say now (for checks and tools; queries go to the stock-levels read model). */
    public Stock stock(String sku) {
        return stock.currentState(stream(sku));
    }

    private CommandResult<StockEvent> handle(Command<StockCommand> command) {
        try {
            return stock.handleAsync(command).join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw e;
        }
    }
}
