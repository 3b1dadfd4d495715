package dev.strata.examples.orders.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.cli.Strata;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code strata demo} as a newcomer runs it: exit codes and the lines that tell the story. */
class DemoCommandTest {

    @TempDir
    Path temp;

    record Run(int exit, String out, String err) {
    }

    private static Run strata(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine strata = Strata.commandLine();
        strata.setOut(new PrintWriter(out, true));
        strata.setErr(new PrintWriter(err, true));
        int exit = strata.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    @Test
    void theDemoPlacesAConfirmedAndACancelledOrderAndRunsAgainInTheSameFolder() {
        String data = temp.resolve("data").toString();

        Run first = strata("demo", "--data", data, "--durability", "OS");
        Run second = strata("demo", "--data", data, "--durability", "OS");

        for (Run run : List.of(first, second)) {
            assertThat(run.exit()).as(run.out() + run.err()).isZero();
            assertThat(run.out())
                    .contains("== Order 1: ada buys 1 x widget ($42.00), pays with tok_visa ==")
                    .contains("== Order 2: bob buys 1 x widget ($42.00), pays with tok_chargeDeclined ==")
                    .containsPattern("StockReserved +1 held for order")
                    .containsPattern("ChargeCard +message: charge \\$42.00 on tok_visa")
                    .containsPattern("SagaCompleted")
                    .containsPattern("PaymentFailed +\\$42.00, card declined")
                    .containsPattern("SagaCompensating +undo reserve, then place")
                    .containsPattern("StockReleased +1 back from order")
                    .containsPattern("OrderCancelled +card declined")
                    .contains("the same reply delivered again: ignored")
                    .containsPattern("read models at position \\d+: order-list")
                    .containsPattern("CONFIRMED \\(stock reserved, payment captured, shipment shp-")
                    .contains("a duplicate, nothing new")
                    .contains("delivered 2 times   -> stock released 1 time")
                    .containsPattern("OrderPlaced +order +")
                    .containsPattern("OrderConfirmed +order +")
                    .containsPattern("OrderCancelled +order +")
                    .doesNotContain("UNEXPECTED");
            assertThat(orderIds(run.out())).hasSize(2);
        }
        assertThat(first.out()).contains("), new");
        assertThat(second.out()).containsPattern("head position \\d+ from earlier runs");
        assertThat(orderIds(second.out())).doesNotContainAnyElementsOf(orderIds(first.out())); // new orders each run
        assertThat(second.out()).contains("order-counts  PLACED 0, CONFIRMED 2, CANCELLED 2");
    }

    private static List<String> orderIds(String out) {
        Matcher matcher = Pattern.compile("Order ([0-9a-f]{12}): (CONFIRMED|CANCELLED)").matcher(out);
        return matcher.results().map(result -> result.group(1)).toList();
    }

    @Test
    void theLoadModePlacesTheMixAndChecksTheReadModels() {
        Run run = strata("demo", "--data", temp.resolve("data").toString(), "--durability", "OS", "--load", "60", "--concurrency", "8");

        assertThat(run.exit()).as(run.out() + run.err()).isZero();
        assertThat(run.out()).contains("Strata demo --load: 60 orders, 8 at a time")
                .containsPattern("60 orders in [0-9.]+ s: [0-9,]+ orders/s")
                .containsPattern("outcomes: [0-9,]+ confirmed, [0-9,]+ cancelled")
                .contains("100.0%  60 / 60 orders")
                .contains("checks: OK");
    }

    @Test
    void aKafkaThatDoesNotAnswerIsOneLineAndExitOneBeforeAnythingIsWritten() {
        Path data = temp.resolve("data");

        Run run = strata("demo", "--data", data.toString(), "--kafka", "127.0.0.1:1");

        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.err()).startsWith("strata demo: --kafka must be a Kafka broker that answers").contains("but was '127.0.0.1:1'");
        assertThat(data).doesNotExist();
    }

    @Test
    void conflictingOptionsAreAUsageError() {
        Run run = strata("demo", "--data", temp.resolve("data").toString(), "--serve", "--load", "10");

        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).contains("--serve and --load cannot be combined");
    }
}
