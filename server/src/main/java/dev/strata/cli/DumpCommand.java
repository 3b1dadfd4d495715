package dev.strata.cli;

import dev.strata.eventstore.Direction;
import dev.strata.eventstore.EventStore;
import dev.strata.eventstore.EventStoreReader;
import dev.strata.eventstore.RecordedEvent;
import dev.strata.eventstore.cloudevents.CloudEventJson;
import dev.strata.eventstore.cloudevents.CloudEventMapper;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code strata dump}: events as CloudEvents JSON, one per line. */
@Command(name = "dump", mixinStandardHelpOptions = true,
        description = {"Print events as CloudEvents JSON, one per line: a stream, a category, or the global log from a position.",
                "Works beside a running server (read-only snapshot)."})
public final class DumpCommand implements Callable<Integer> {

    @Mixin
    DataOption store;

    static final class Source {
        @Option(names = "--stream", paramLabel = "S", description = "One stream, from its first event.")
        String stream;

        @Option(names = "--category", paramLabel = "C", description = "The streams of a category, in log order.")
        String category;

        @Option(names = "--from", paramLabel = "P", description = "The global log from position P (default 0).")
        Long from;
    }

    @ArgGroup(exclusive = true)
    Source source = new Source();

    @Option(names = "--limit", paramLabel = "N", defaultValue = "2147483647", description = "At most N events.")
    int limit;

    @Override
    public Integer call() throws IOException {
        try (EventStoreReader reader = EventStore.builder().directory(store.data).openReadOnly();
             Stream<RecordedEvent> events = select(reader)) {
            CloudEventJson json = new CloudEventJson(new CloudEventMapper(reader.name()));
            OutputStream out = new BufferedOutputStream(System.out, 1 << 16);
            for (RecordedEvent event : (Iterable<RecordedEvent>) events::iterator) {
                out.write(json.write(event));
                out.write('\n');
            }
            out.flush();
        }
        return 0;
    }

    private Stream<RecordedEvent> select(EventStoreReader reader) {
        if (source.stream != null) {
            return reader.readStream(source.stream, 0, Direction.FORWARD, limit);
        }
        if (source.category != null) {
            return reader.readCategory(source.category, 0, limit);
        }
        return reader.readAll(source.from == null ? 0 : source.from, limit);
    }
}
