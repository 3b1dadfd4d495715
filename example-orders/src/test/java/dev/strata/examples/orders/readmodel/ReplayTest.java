package dev.strata.examples.orders.readmodel;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.cli.Strata;
import dev.strata.eventstore.Durability;
import dev.strata.examples.orders.OrderRequest;
import dev.strata.examples.orders.OrderSystem;
import dev.strata.projections.ReadModel;
import dev.strata.projections.Row;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The read models rebuilt from the log with {@code strata replay} (which finds them through the ProjectionProvider in
 * META-INF/services) equal the ones the running shop built live.
 */
class ReplayTest {

    @TempDir
    Path data;

    record Rows(List<Row<String, OrderSummary>> orders, List<Row<String, StockLevel>> stock, List<Row<String, Long>> counts) {
    }

    private static <V> List<Row<String, V>> all(ReadModel<String, V> model) {
        return model.scanPrefix("", Integer.MAX_VALUE);
    }

    private Rows rows() {
        try (OrderSystem shop = OrderSystem.builder(data).durability(Durability.OS).open()) {
            shop.awaitReadModels(shop.store().headPosition(), Duration.ofSeconds(30));
            return new Rows(all(shop.orderList()), all(shop.stockLevels()), all(shop.orderCounts()));
        }
    }

    @Test
    void theReadModelsRebuiltByStrataReplayEqualTheLiveOnes() throws Exception {
        try (OrderSystem shop = OrderSystem.builder(data).durability(Durability.OS).open()) {
            shop.restock("widget", 20);
            shop.restock("gizmo", 2);
            List<CompletableFuture<?>> outcomes = new ArrayList<>();
            String[] cards = {"tok_visa", "tok_chargeDeclined", "tok_mastercard", "tok_chargeDeclinedInsufficientFunds"};
            for (int i = 0; i < 24; i++) {
                String sku = i % 3 == 0 ? "gizmo" : "widget";
                outcomes.add(shop.placeOrder(OrderRequest.of("customer" + i, sku, 1 + i % 2, cards[i % cards.length])).outcome());
            }
            CompletableFuture.allOf(outcomes.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        }
        Rows live = rows();
        assertThat(live.orders()).hasSize(24);
        assertThat(live.counts()).isNotEmpty();

        for (String projection : List.of(OrderListProjection.NAME, StockLevelsProjection.NAME, OrderCountsProjection.NAME)) {
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            CommandLine strata = Strata.commandLine();
            strata.setOut(new PrintWriter(out));
            strata.setErr(new PrintWriter(err));

            int exit = strata.execute("replay", "--data", data.toString(), "--projection", projection, "--verify");

            assertThat(exit).as("strata replay %s --verify: %s %s", projection, out, err).isZero();
            assertThat(out.toString()).contains("verify: ").contains("replayed " + projection + " into generation 2");
        }
        Rows rebuilt = rows();
        assertThat(rebuilt).isEqualTo(live);
    }
}
