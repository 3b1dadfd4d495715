package dev.strata.cli;

import dev.strata.eventstore.Durability;
import dev.strata.eventstore.ValidationException;
import dev.strata.server.AccessTokens;
import dev.strata.server.RateLimit;
import dev.strata.server.StrataServer;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code strata server}: serves a store over HTTP until SIGTERM (or Ctrl-C), then stops gracefully: no new
 * connections, in-flight appends finish, subscriptions end cleanly, the store syncs and closes.
 */
@Command(name = "server", mixinStandardHelpOptions = true,
        description = {"Serve a store over HTTP (docs/server.md): append, read and subscribe with curl or any SSE client.",
                "Stops gracefully on SIGTERM or Ctrl-C."})
public final class ServerCommand implements Callable<Integer> {

    @Mixin
    DataOption store;

    @Option(names = "--port", defaultValue = "7433", paramLabel = "PORT",
            description = "The port to listen on (default: ${DEFAULT-VALUE}; 0 for any free port).")
    int port;

    @Option(names = "--bind", defaultValue = "127.0.0.1", paramLabel = "ADDRESS",
            description = "The address to listen on (default: ${DEFAULT-VALUE}). Anything but loopback needs --auth.")
    String bind;

    @Option(names = "--durability", defaultValue = "fsync", paramLabel = "fsync|os",
            description = "When appends are acknowledged: fsync (on disk, the default) or os (in the page cache).")
    String durability;

    @Option(names = "--auth", paramLabel = "FILE",
            description = "A token file: one 'NAME SECRET read:PREFIX write:PREFIX...' per line (docs/server.md). Default: no auth.")
    Path auth;

    @Option(names = "--rate-limit", paramLabel = "PER_SECOND",
            description = "Requests per second allowed to each token (each client address without --auth). Default: no limit.")
    Double rateLimit;

    @Option(names = "--rate-burst", paramLabel = "REQUESTS",
            description = "How many requests a client may make at once before the rate applies (default: one second's worth).")
    Integer rateBurst;

    @Option(names = "--max-body-bytes", defaultValue = "16777216", paramLabel = "BYTES",
            description = "The largest request body (default: ${DEFAULT-VALUE}, 16 MiB); larger ones get 413.")
    int maxBodyBytes;

    @Option(names = "--max-event-bytes", defaultValue = "1048576", paramLabel = "BYTES",
            description = "The largest event data (default: ${DEFAULT-VALUE}, 1 MiB); larger events get 400.")
    int maxEventBytes;

    @Option(names = "--max-page-events", defaultValue = "10000", paramLabel = "EVENTS",
            description = "The most events a read page returns (default: ${DEFAULT-VALUE}); a larger limit is capped.")
    int maxPageEvents;

    @Override
    public Integer call() throws InterruptedException {
        StrataServer.Builder builder = StrataServer.builder()
                .dataDirectory(store.data)
                .bind(bind)
                .port(port)
                .durability(durability(durability))
                .maxBodyBytes(maxBodyBytes)
                .maxEventBytes(maxEventBytes)
                .maxPageEvents(maxPageEvents);
        if (auth != null) {
            builder.accessTokens(AccessTokens.load(auth));
        }
        if (rateLimit != null) {
            RateLimit limit = RateLimit.perSecond(rateLimit);
            builder.rateLimit(rateBurst == null ? limit : new RateLimit(rateLimit, rateBurst));
        } else if (rateBurst != null) {
            throw new ValidationException("--rate-burst", rateBurst, "needs --rate-limit");
        }
        StrataServer server = builder.start();
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "strata-server-shutdown"));
        server.awaitStopped();
        return 0;
    }

    static Durability durability(String text) {
        return switch (text.toLowerCase(Locale.ROOT)) {
            case "fsync" -> Durability.FSYNC;
            case "os" -> Durability.OS;
            default -> throw new ValidationException("--durability", text, "must be fsync or os");
        };
    }
}
