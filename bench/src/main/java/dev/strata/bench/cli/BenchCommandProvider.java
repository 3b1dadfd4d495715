package dev.strata.bench.cli;

import dev.strata.cli.CommandProvider;

/** Adds {@code strata bench} to the command line when the bench module is on the classpath ({@code ./strata bench}). */
public final class BenchCommandProvider implements CommandProvider {

    @Override
    public String name() {
        return "bench";
    }

    @Override
    public Object command() {
        return new BenchCommand();
    }
}
