package dev.strata.bench.peers;

import dev.strata.bench.load.AppendTarget;
import dev.strata.bench.load.Payload;
import java.nio.file.Path;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.RollCycles;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.wire.DocumentContext;

/**
 * The raw limit under Strata's log: one Chronicle Queue excerpt per append holding the append's event bytes, no
 * header, no checksum, no index, no version check. What Strata adds on top is the difference.
 *
 * <p>One appender, shared by all threads under a lock: Chronicle is a single-writer design (Strata writes from one
 * thread too), and on two cores several appenders spinning on Chronicle's own write lock stalled for seconds.
 */
public final class ChronicleAppendTarget implements AppendTarget {

    private final SingleChronicleQueue queue;
    private final ExcerptAppender appender;
    private final Payload payload;

    public ChronicleAppendTarget(Path directory, Payload payload) {
        this.queue = SingleChronicleQueueBuilder.single(directory.toFile()).rollCycle(RollCycles.FAST_DAILY).build();
        this.appender = queue.createAppender();
        // used from every appender thread, one at a time under the lock below
        appender.singleThreadedCheckDisabled(true);
        this.payload = payload;
    }

    @Override
    public String name() {
        return "raw-chronicle";
    }

    @Override
    public String durability() {
        return "page cache (mmap): survives a process crash, not a power loss";
    }

    @Override
    public boolean checksExpectedVersion() {
        return false;
    }

    @Override
    public Session session(int thread) {
        return new Session() {
            private byte[] bytes = new byte[0];

            @Override
            public void append(String stream, long expectedVersion, int count) {
                int length = count * payload.size();
                if (bytes.length < length) {
                    bytes = repeat(payload.json(), count);
                }
                synchronized (appender) {
                    try (DocumentContext document = appender.writingDocument()) {
                        document.wire().bytes().write(bytes, 0, length);
                    }
                }
            }
        };
    }

    static byte[] repeat(byte[] one, int count) {
        byte[] all = new byte[one.length * count];
        for (int i = 0; i < count; i++) {
            System.arraycopy(one, 0, all, i * one.length, one.length);
        }
        return all;
    }

    @Override
    public void close() {
        appender.close();
        queue.close();
    }
}
