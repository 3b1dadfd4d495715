package dev.strata.cli;

import dev.strata.eventstore.EventStore;
import dev.strata.relay.OutboxRelay;
import dev.strata.relay.RelayConfig;
import io.micrometer.core.instrument.Metrics;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code strata relay run --data DIR --config FILE}: runs one outbox relay as a process, until SIGTERM (or, with
 * {@code --until-caught-up}, until it has published everything stored when it started). The relay's checkpoint lives
 * in {@code <data>/relays}. The process opens the store itself, so it cannot run beside another process that has the
 * store open: embed {@link OutboxRelay} in that process instead.
 */
@Command(name = "relay", mixinStandardHelpOptions = true,
        description = "Outbox relay: publish the log to Kafka or HTTP as CloudEvents.",
        subcommands = {RelayCommand.Run.class})
public final class RelayCommand implements CommandProvider, Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public String name() {
        return "relay";
    }

    @Override
    public Object command() {
        return new RelayCommand();
    }

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getOut());
        return 2;
    }

    @Command(name = "run", mixinStandardHelpOptions = true,
            description = "Run a relay described by a properties file (see docs/relay.md) on a store folder.")
    static final class Run implements Callable<Integer> {

        @Option(names = "--data", required = true, paramLabel = "DIR", description = "The store folder.")
        Path data;

        @Option(names = "--config", required = true, paramLabel = "FILE", description = "The relay's properties file.")
        Path config;

        @Option(names = "--status-every", defaultValue = "10s", paramLabel = "DURATION",
                description = "How often to print a status line, e.g. 10s or 1m; 0 for never (default: ${DEFAULT-VALUE}).")
        String statusEvery;

        @Option(names = "--until-caught-up",
                description = "Exit 0 once everything stored at the start is published (for cron jobs and tests).")
        boolean untilCaughtUp;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            Duration every = parseDuration(statusEvery);
            RelayConfig relayConfig = RelayConfig.load(config);
            CountDownLatch stopped = new CountDownLatch(1);
            CountDownLatch closed = new CountDownLatch(1);
            // SIGTERM: ask the main thread to stop, and keep the JVM alive until it has closed the relay (checkpoint)
            // and then the store (sync), in that order.
            Thread hook = new Thread(() -> {
                stopped.countDown();
                try {
                    closed.await(60, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "strata-relay-shutdown");
            Runtime.getRuntime().addShutdownHook(hook);
            try (EventStore store = EventStore.builder().directory(data).open();
                 OutboxRelay relay = relayConfig.start(store, data.resolve("relays"), Metrics.globalRegistry)) {
                long target = store.headPosition();
                out.printf("relay %s: publishing store %s from position %d (head %d)%n", relay.name(), store.name(),
                        relay.checkpoint() + 1, target);
                out.flush();
                long lastPublished = 0;
                long lastAt = System.nanoTime();
                long nextStatus = every.isZero() ? Long.MAX_VALUE : System.nanoTime() + every.toNanos();
                try {
                    while (!stopped.await(100, TimeUnit.MILLISECONDS)) {
                        if (relay.failure().isPresent() || !relay.isRunning()) {
                            spec.commandLine().getErr().println("strata relay run: relay " + relay.name() + " stopped: "
                                    + relay.failure().map(Throwable::getMessage).orElse("unknown reason"));
                            return 1;
                        }
                        if (untilCaughtUp && relay.checkpoint() >= target) {
                            out.printf("relay %s: caught up at position %d, %d published, %d dead letters%n", relay.name(),
                                    relay.checkpoint(), relay.published(), relay.deadLetters());
                            return 0;
                        }
                        if (System.nanoTime() >= nextStatus) {
                            long now = System.nanoTime();
                            long published = relay.published();
                            double rate = (published - lastPublished) / ((now - lastAt) / 1e9);
                            out.printf("relay %s: checkpoint %d, lag %d, published %d (%.0f/s), retries %d, circuit %s, dead letters %d%n",
                                    relay.name(), relay.checkpoint(), relay.lag(), published, rate, relay.retries(),
                                    relay.circuitState(), relay.deadLetters());
                            out.flush();
                            lastPublished = published;
                            lastAt = now;
                            nextStatus = now + every.toNanos();
                        }
                    }
                    out.printf("relay %s: stopped at checkpoint %d%n", relay.name(), relay.checkpoint());
                    return 0;
                } finally {
                    out.flush();
                }
            } finally {
                closed.countDown();
                if (stopped.getCount() > 0) {
                    Runtime.getRuntime().removeShutdownHook(hook);
                }
            }
        }

        static Duration parseDuration(String text) {
            String value = text.trim().toLowerCase();
            try {
                if (value.equals("0")) {
                    return Duration.ZERO;
                }
                if (value.endsWith("ms")) {
                    return Duration.ofMillis(Long.parseLong(value.substring(0, value.length() - 2)));
                }
                if (value.endsWith("s")) {
                    return Duration.ofSeconds(Long.parseLong(value.substring(0, value.length() - 1)));
                }
                if (value.endsWith("m")) {
                    return Duration.ofMinutes(Long.parseLong(value.substring(0, value.length() - 1)));
                }
            } catch (NumberFormatException e) {
                // falls through to the error below
            }
            throw new dev.strata.eventstore.ValidationException("--status-every", text, "must be a duration such as 500ms, 10s or 1m, or 0");
        }
    }
}
