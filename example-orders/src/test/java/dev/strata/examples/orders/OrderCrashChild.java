package dev.strata.examples.orders;

import dev.strata.eventstore.Durability;
import dev.strata.saga.SagaSummary;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The shop in a child JVM, placing orders from {@code concurrency} clients until it is killed (for {@link OrderCrashIT}).
 * Prints {@code OPEN} once the shop is open (it has resumed what an earlier run left), {@code PLACED <id>} when an
 * order's saga is durable (the shop acknowledged it), {@code DONE <id> <status>} when it finished.
 */
public final class OrderCrashChild {

    private static final String[] SKUS = {"widget", "gadget", "gizmo"};

    private OrderCrashChild() {
    }

    public static void main(String[] args) {
        Path directory = Path.of(args[0]);
        String prefix = args[1];
        int concurrency = Integer.parseInt(args[2]);
        OrderSystem shop = OrderSystem.builder(directory).durability(Durability.OS).open();
        System.out.println("OPEN");
        AtomicInteger next = new AtomicInteger();
        for (int c = 0; c < concurrency; c++) {
            Random random = new Random(prefix.hashCode() * 31L + c);
            Thread client = new Thread(() -> {
                while (true) {
                    String id = prefix + "-" + next.getAndIncrement();
                    String card = random.nextInt(4) == 0 ? "tok_chargeDeclined" : "tok_visa";
                    PlacedOrder placed = shop.placeOrder(new OrderRequest(id, "c" + random.nextInt(20),
                            SKUS[random.nextInt(SKUS.length)], 1 + random.nextInt(2), card));
                    System.out.println("PLACED " + id);
                    SagaSummary outcome = placed.outcome().join();
                    System.out.println("DONE " + id + " " + outcome.status());
                }
            }, "client-" + c);
            client.start();
        }
    }
}
