package dev.strata.cli;

import dev.strata.eventstore.EventStore;
import dev.strata.eventstore.StoreStatistics;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code strata stats}: a store's size at a glance. */
@Command(name = "stats", mixinStandardHelpOptions = true,
        description = "Print streams, events, head position, bytes on disk and the durability the store was last opened with.")
public final class StatsCommand implements Callable<Integer> {

    @Mixin
    DataOption store;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        StoreStatistics stats = EventStore.builder().directory(store.data).statistics();
        PrintWriter out = spec.commandLine().getOut();
        out.printf("store:         %s%n", stats.name());
        out.printf("streams:       %d%n", stats.streams());
        out.printf("events:        %d%n", stats.events());
        out.printf("head position: %d%n", stats.headPosition());
        out.printf("log bytes:     %d%n", stats.logBytes());
        out.printf("index bytes:   %d%n", stats.indexBytes());
        out.printf("durability:    %s (as last opened for writing)%n", stats.durability());
        return 0;
    }
}
