package dev.strata.bench.projections;

import dev.strata.eventstore.AppendRequest;
import dev.strata.eventstore.Durability;
import dev.strata.eventstore.EventData;
import dev.strata.eventstore.EventStore;
import dev.strata.eventstore.ExpectedVersion;
import dev.strata.eventstore.Metadata;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/** Fills a store for the projection benchmarks: small JSON events over {@code keys} streams, appended in batches. */
public final class BenchStore {

    private BenchStore() {
    }

    public static EventStore open(Path dir) {
        return EventStore.builder().directory(dir).durability(Durability.OS).open();
    }

    /** Appends {@code events} events (100 per append, several appends in flight); returns the seconds it took. */
    public static double fill(EventStore store, long events, int keys) {
        long start = System.nanoTime();
        List<CompletableFuture<?>> inFlight = new ArrayList<>();
        long n = 0;
        while (n < events) {
            int count = (int) Math.min(100, events - n);
            List<EventData> batch = new ArrayList<>(count);
            String stream = "account-" + (n / 100 % keys);
            for (int i = 0; i < count; i++, n++) {
                byte[] json = ("{\"account\":" + (n % keys) + ",\"amount\":" + (n % 1000) + ",\"n\":" + n + "}").getBytes(StandardCharsets.UTF_8);
                batch.add(new EventData(UUID.randomUUID(), "Deposited", EventData.JSON, Metadata.empty(), json));
            }
            inFlight.add(store.appendAllAsync(List.of(new AppendRequest(stream, ExpectedVersion.any(), batch))));
            if (inFlight.size() >= 32) {
                inFlight.forEach(CompletableFuture::join);
                inFlight.clear();
            }
        }
        inFlight.forEach(CompletableFuture::join);
        return (System.nanoTime() - start) / 1e9;
    }

    public static long argument(String[] args, String name, long fallback) {
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals(name)) {
                return Long.parseLong(args[i + 1].replace("_", ""));
            }
        }
        return fallback;
    }

    public static String argument(String[] args, String name, String fallback) {
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals(name)) {
                return args[i + 1];
            }
        }
        return fallback;
    }
}
