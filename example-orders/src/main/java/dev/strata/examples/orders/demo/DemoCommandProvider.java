package dev.strata.examples.orders.demo;

import dev.strata.cli.CommandProvider;

/** Makes {@code strata demo} the order example, in place of the built-in tour of the store. */
public final class DemoCommandProvider implements CommandProvider {

    @Override
    public String name() {
        return "demo";
    }

    @Override
    public Object command() {
        return new DemoCommand();
    }
}
