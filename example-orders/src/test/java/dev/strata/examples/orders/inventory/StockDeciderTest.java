package dev.strata.examples.orders.inventory;

import dev.strata.eventstore.testing.DeciderFixture;
import dev.strata.examples.orders.inventory.StockCommand.ReleaseStock;
import dev.strata.examples.orders.inventory.StockCommand.ReserveStock;
import dev.strata.examples.orders.inventory.StockEvent.StockAdded;
import dev.strata.examples.orders.inventory.StockEvent.StockReleased;
import dev.strata.examples.orders.inventory.StockEvent.StockReservationFailed;
import dev.strata.examples.orders.inventory.StockEvent.StockReserved;
import org.junit.jupiter.api.Test;

class StockDeciderTest {

    private final DeciderFixture<StockCommand, StockEvent, Stock> stock = DeciderFixture.of(new StockDecider(), StockEvent.TYPES);

    @Test
    void aReservationHoldsStock() {
        stock.given(new StockAdded("widget", 3)).when(new ReserveStock("widget", "o1", 2))
                .then(new StockReserved("widget", "o1", 2))
                .thenState(new Stock(1, 2));
    }

    @Test
    void aReservationTheStockCannotCoverIsRecordedNotThrown() {
        stock.given(new StockAdded("widget", 1)).when(new ReserveStock("widget", "o1", 2))
                .then(new StockReservationFailed("widget", "o1", 2, 1))
                .thenState(new Stock(1, 0));
        stock.given().when(new ReserveStock("unknown", "o1", 1)).then(new StockReservationFailed("unknown", "o1", 1, 0));
    }

    @Test
    void aReleaseGivesTheHoldBack() {
        stock.given(new StockAdded("widget", 3), new StockReserved("widget", "o1", 2)).when(new ReleaseStock("widget", "o1", 2))
                .then(new StockReleased("widget", "o1", 2))
                .thenState(new Stock(3, 0));
    }
}
