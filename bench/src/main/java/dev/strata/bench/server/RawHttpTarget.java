package dev.strata.bench.server;

import dev.strata.bench.load.AppendTarget;
import dev.strata.bench.load.ExpectedVersionConflict;
import dev.strata.bench.load.Payload;
import dev.strata.bench.peers.StrataTarget;
import dev.strata.eventstore.Durability;
import dev.strata.server.StrataServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;
import java.util.UUID;

/**
 * A Strata server on a free loopback port in this process, driven the way issue 8's {@link HttpLoadGenerator} drives
 * it: one keep-alive HTTP/1.1 connection per appender thread ({@link LoopbackConnection}), far cheaper per request
 * than a general client, so the figure is the server's. An append is a {@code POST /streams/{stream}} of a CloudEvents
 * batch with the expected version as a precondition ({@code If-None-Match: *} for a new stream, {@code If-Match:
 * "<version>"} otherwise); 201 is an acknowledgement, 412 a conflict.
 */
public final class RawHttpTarget implements AppendTarget {

    private static final String BATCH = "application/cloudevents-batch+json";

    private final StrataServer server;
    private final InetSocketAddress address;
    private final Durability durability;
    private final String data;

    public RawHttpTarget(Path directory, Durability durability, Payload payload) {
        this.server = StrataServer.builder().dataDirectory(directory).port(0).durability(durability).start();
        this.address = new InetSocketAddress("127.0.0.1", server.port());
        this.durability = durability;
        this.data = payload.text();
    }

    @Override
    public String name() {
        return "strata-server-http-" + durability.name().toLowerCase(Locale.ROOT);
    }

    @Override
    public String durability() {
        return StrataTarget.describe(durability) + "; over HTTP on loopback (server in this process, raw keep-alive connections)";
    }

    @Override
    public boolean checksExpectedVersion() {
        return true;
    }

    @Override
    public Session session(int thread) {
        LoopbackConnection connection;
        try {
            connection = new LoopbackConnection(address);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot connect to " + address, e);
        }
        return new Session() {
            @Override
            public void append(String stream, long expectedVersion, int count) {
                String precondition = expectedVersion < 0 ? "If-None-Match: *" : "If-Match: \"" + expectedVersion + "\"";
                int status;
                try {
                    status = connection.post("/streams/" + stream, BATCH, precondition, batch(count));
                } catch (IOException e) {
                    throw new UncheckedIOException("append to " + stream + " failed", e);
                }
                if (status == 412) {
                    throw new ExpectedVersionConflict(stream, expectedVersion, null);
                }
                if (status != 201) {
                    throw new IllegalStateException("append to " + stream + " answered " + status);
                }
            }

            @Override
            public void close() {
                try {
                    connection.close();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        };
    }

    /** {@code count} CloudEvents with fresh ids and the payload as their JSON data. */
    private byte[] batch(int count) {
        StringBuilder out = new StringBuilder(count * (data.length() + 120) + 2).append('[');
        for (int i = 0; i < count; i++) {
            UUID id = StrataTarget.randomId();
            out.append(i == 0 ? "" : ",").append("{\"specversion\":\"1.0\",\"id\":\"").append(id)
                    .append("\",\"source\":\"/bench\",\"type\":\"Benchmarked\",\"datacontenttype\":\"application/json\",\"data\":")
                    .append(data).append('}');
        }
        return out.append(']').toString().getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        server.close();
    }
}
