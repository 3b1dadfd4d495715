package dev.strata.server;

import dev.strata.eventstore.Durability;
import java.nio.file.Path;

/**
 * The child JVM of {@link ServerCrashIT}: a server on a free port over a data folder, which prints {@code READY <port>}
 * once it serves and then runs until it is killed.
 */
public final class ServerChild {

    private ServerChild() {
    }

    public static void main(String[] args) throws Exception {
        StrataServer server = StrataServer.builder().dataDirectory(Path.of(args[0])).port(0)
                .durability(Durability.valueOf(args[1])).start();
        System.out.println("READY " + server.port());
        System.out.flush();
        server.awaitStopped();
    }
}
