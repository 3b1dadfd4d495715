package dev.strata.eventstore;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * The child JVM of {@link CrashRecoveryIT}: appends from several threads to many streams until it is killed, and
 * prints every acknowledged append as soon as it is acknowledged:
 * {@code ACK stream firstVersion lastVersion firstPosition lastPosition id,id,...}. Each event's data names its
 * append (the first id), its index and the append's size, so the parent can rebuild the exact content.
 */
public final class CrashingAppender {

    private CrashingAppender() {
    }

    public static void main(String[] args) throws Exception {
        Path directory = Path.of(args[0]);
        int threads = Integer.parseInt(args[1]);
        Durability durability = Durability.valueOf(args[2]);
        long seed = Long.parseLong(args[3]);
        PrintStream out = new PrintStream(System.out, false, StandardCharsets.UTF_8);
        EventStore store = EventStore.builder().directory(directory).durability(durability).open();
        out.println("READY " + store.headPosition());
        out.flush();
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            Thread worker = new Thread(() -> {
                Random random = new Random(seed * 31 + thread);
                while (true) {
                    String stream = "crash-" + thread + "-" + random.nextInt(40);
                    List<EventData> events = events(1 + random.nextInt(4));
                    AppendResult result = store.append(stream, ExpectedVersion.any(), events);
                    String line = "ACK " + stream + " " + result.firstVersion() + " " + result.lastVersion() + " "
                            + result.firstPosition() + " " + result.lastPosition() + " "
                            + events.stream().map(e -> e.id().toString()).collect(Collectors.joining(","));
                    synchronized (out) {
                        out.println(line);
                        out.flush();
                    }
                }
            }, "appender-" + t);
            worker.start();
            workers.add(worker);
        }
        for (Thread worker : workers) {
            worker.join();
        }
    }

    static List<EventData> events(int count) {
        List<UUID> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ids.add(UUID.randomUUID());
        }
        return events(ids);
    }

    /** The events of an append with these ids: what the parent rebuilds from an ACK line. */
    static List<EventData> events(List<UUID> ids) {
        List<EventData> events = new ArrayList<>();
        for (int i = 0; i < ids.size(); i++) {
            String json = "{\"append\":\"" + ids.get(0) + "\",\"i\":" + i + ",\"n\":" + ids.size() + "}";
            events.add(new EventData(ids.get(i), "Crashed", EventData.JSON, Metadata.empty(), json.getBytes(StandardCharsets.UTF_8)));
        }
        return events;
    }
}
