package dev.strata.bench.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import dev.strata.cli.CommandProvider;
import org.slf4j.LoggerFactory;

/** Adds {@code strata bench} to the command line when the bench module is on the classpath ({@code ./strata bench}). */
public final class BenchCommandProvider implements CommandProvider {

    @Override
    public String name() {
        return "bench";
    }

    @Override
    public Object command() {
        quietPeers();
        return new BenchCommand();
    }

    /**
     * The in-process Kafka broker and its clients log every retry at WARN, and PostgreSQL's embedded runner, Axon and
     * Hikari their start-up; during a benchmark only their errors matter (and only the Strata server's warnings). (Set in code: a second logback.xml on the
     * classpath would make logback print its own status.)
     */
    static void quietPeers() {
        for (String name : new String[] {"org.apache.kafka", "kafka", "io.zonky", "org.axonframework", "com.zaxxer.hikari"}) {
            if (LoggerFactory.getLogger(name) instanceof Logger logger) {
                logger.setLevel(Level.ERROR);
            }
        }
        // the server logs each start and stop at INFO: one per server cell of the suite
        if (LoggerFactory.getLogger("dev.strata.server.StrataServer") instanceof Logger server) {
            server.setLevel(Level.WARN);
        }
    }
}
