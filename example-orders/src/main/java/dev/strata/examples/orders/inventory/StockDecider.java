package dev.strata.examples.orders.inventory;

import dev.strata.eventstore.model.Decider;
import dev.strata.examples.orders.inventory.StockCommand.AddStock;
import dev.strata.examples.orders.inventory.StockCommand.ReleaseStock;
import dev.strata.examples.orders.inventory.StockCommand.ReserveStock;
import dev.strata.examples.orders.inventory.StockEvent.StockAdded;
import dev.strata.examples.orders.inventory.StockEvent.StockReleased;
import dev.strata.examples.orders.inventory.StockEvent.StockReservationFailed;
import dev.strata.examples.orders.inventory.StockEvent.StockReserved;
import java.util.List;

/**
 * The inventory's rule: never promise more than is available. The state is two numbers per product, however many
 * orders there were: the stock stream does not remember orders.
 *
 * <p>So how is a reservation applied once? By its command id, not by its content: the services derive it from the saga
 * step's idempotency key ({@code StepCommands}), and the command handler answers a repeated command with its first
 * outcome. For that to hold whatever happened in between, these decisions never throw: a reservation the stock cannot
 * cover is the fact {@link StockReservationFailed}, and a release always releases. (A rejection would be re-decided on
 * today's stock; a recorded outcome is found again by its event id.)
 */
public final class StockDecider implements Decider<StockCommand, StockEvent, Stock> {

    @Override
    public Stock initialState() {
        return Stock.NONE;
    }

    @Override
    public List<StockEvent> decide(StockCommand command, Stock stock) {
        if (command instanceof AddStock add) {
            return List.of(new StockAdded(add.sku(), add.quantity()));
        }
        if (command instanceof ReserveStock reserve) {
            if (reserve.quantity() > stock.available()) {
                return List.of(new StockReservationFailed(reserve.sku(), reserve.orderId(), reserve.quantity(), stock.available()));
            }
            return List.of(new StockReserved(reserve.sku(), reserve.orderId(), reserve.quantity()));
        }
        ReleaseStock release = (ReleaseStock) command;
        return List.of(new StockReleased(release.sku(), release.orderId(), release.quantity()));
    }

    @Override
    public Stock evolve(Stock stock, StockEvent event) {
        if (event instanceof StockAdded added) {
            return new Stock(stock.available() + added.quantity(), stock.reserved());
        }
        if (event instanceof StockReserved reserved) {
            return new Stock(stock.available() - reserved.quantity(), stock.reserved() + reserved.quantity());
        }
        if (event instanceof StockReleased released) {
            return new Stock(stock.available() + released.quantity(), stock.reserved() - released.quantity());
        }
        return stock; // a failed reservation changes nothing
    }
}
