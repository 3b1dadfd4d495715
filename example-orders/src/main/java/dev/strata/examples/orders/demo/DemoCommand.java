package dev.strata.examples.orders.demo;

import dev.strata.eventstore.Durability;
import dev.strata.eventstore.ValidationException;
import dev.strata.examples.orders.OrderSystem;
import dev.strata.examples.orders.http.OrderHttpApi;
import dev.strata.relay.KafkaSink;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.KafkaException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code strata demo}: the order saga of the worked example on an embedded store. By default it places two orders,
 * one that succeeds and one whose card is declined, and prints their timelines; {@code --serve} runs the shop behind
 * a small HTTP API; {@code --load N} places N orders and reports throughput.
 */
@Command(name = "demo", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"The order saga of the worked example, end to end, on an embedded store in --data.",
                "Places an order that succeeds and one whose card is declined, and prints both",
                "timelines: every event, each saga step and compensation, the read models after",
                "each step, and what the relay published. --serve runs the shop behind an HTTP",
                "API; --load N places N orders and reports throughput.", ""})
public final class DemoCommand implements Callable<Integer> {

    @Option(names = "--data", defaultValue = "data", paramLabel = "DIR", description = "The store folder (default: ${DEFAULT-VALUE}).")
    Path data;

    @Option(names = "--durability", defaultValue = "FSYNC", paramLabel = "MODE",
            description = "FSYNC (on disk before acknowledged) or OS (in the page cache) (default: ${DEFAULT-VALUE}).")
    Durability durability;

    @Option(names = "--kafka", paramLabel = "BOOTSTRAP",
            description = "Publish the order events to this Kafka (host:port), topic 'order' (created if missing).")
    String kafka;

    @Option(names = "--serve", description = "Run the shop behind an HTTP API until Ctrl-C.")
    boolean serve;

    @Option(names = "--port", defaultValue = "7480", paramLabel = "PORT", description = "The HTTP API's port, on 127.0.0.1 (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--load", paramLabel = "N", description = "Place N orders (some declined, some out of stock) and report throughput.")
    Integer load;

    @Option(names = "--concurrency", defaultValue = "32", paramLabel = "C", description = "With --load: orders in flight at once (default: ${DEFAULT-VALUE}).")
    int concurrency;

    @Option(names = "--seed", defaultValue = "42", paramLabel = "S", description = "With --load: the seed of the order mix (default: ${DEFAULT-VALUE}).")
    long seed;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        if (serve && load != null) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--serve and --load cannot be combined");
        }
        if (load != null && (load < 1 || concurrency < 1)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--load and --concurrency must be >= 1");
        }
        if (port < 0 || port > 65535) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--port must be between 0 and 65535 but was " + port);
        }
        if (kafka != null) {
            requireKafka(kafka);
        }
        if (serve) {
            return serve(out);
        }
        if (load != null) {
            return new LoadRun(out, data, durability, relaySink(), relayName(kafka), load, concurrency, seed).run();
        }
        return new Tour(out, data, durability, relaySink(), kafka).run();
    }

    /** Fails fast, in one line, when the broker is not there (the relay itself would retry it forever, as it should). */
    private static void requireKafka(String bootstrap) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5000, AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5000))) {
            admin.describeCluster().clusterId().get(10, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException | KafkaException e) {
            Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
            throw new ValidationException("--kafka", bootstrap, "must be a Kafka broker that answers (" + cause.getClass().getSimpleName()
                    + (cause.getMessage() == null ? "" : ": " + cause.getMessage()) + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ValidationException("--kafka", bootstrap, "must be checked before the demo starts (interrupted)");
        }
    }

    /** Where the relay publishes: memory (and the demo prints it), or Kafka as well. */
    private PublishedEvents relaySink() {
        return kafka == null ? PublishedEvents.inMemory()
                : PublishedEvents.recording(KafkaSink.builder(kafka).createTopics(1, (short) 1).build());
    }

    /** The relay's name, hence its checkpoint: one for the memory sink, one for Kafka (which must get everything). */
    static String relayName(String kafka) {
        return kafka == null ? "orders-demo" : "orders-kafka";
    }

    private int serve(PrintWriter out) throws InterruptedException {
        PublishedEvents sink = relaySink().printing(out);
        OrderSystem shop = OrderSystem.builder(data).durability(durability).relay(relayName(kafka), sink).open();
        OrderHttpApi api;
        try {
            api = OrderHttpApi.start(shop, port);
        } catch (RuntimeException e) {
            shop.close();
            throw e;
        }
        sink.printFrom(shop.store().headPosition() + 1);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            api.close();
            shop.close();
            stopped.countDown();
        }, "demo-shutdown"));
        String base = "http://127.0.0.1:" + api.port();
        out.printf("The shop's HTTP API is on %s (store %s, %s); Ctrl-C stops it.%n", base, data.toAbsolutePath(), durability);
        out.printf("The relay publishes the order events to %s; each new one is printed here as it goes.%n%n", sink.describe());
        out.println("Place an order (the Idempotency-Key makes a retry safe: same key, same order):");
        out.printf("  curl -s -X POST %s/orders -H 'Content-Type: application/json' -H 'Idempotency-Key: first-order' \\%n", base);
        out.println("       -d '{\"customer\":\"ada\",\"sku\":\"widget\",\"quantity\":1,\"card\":\"tok_visa\"}'");
        out.println("Read it back, at least as new as the position the POST answered (read-your-writes):");
        out.printf("  curl -s '%s/orders/<orderId>?min-position=<position>'%n", base);
        out.println("List orders, stock levels and counts:");
        out.printf("  curl -s %s/orders ; curl -s %s/stock ; curl -s %s/order-counts%n%n", base, base, base);
        out.flush();
        stopped.await();
        return 0;
    }
}
