package dev.strata.eventstore.internal.log;

import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Reusable cursors for short reads: creating a Chronicle tailer costs tens of microseconds, more than reading a small
 * stream. A borrowed cursor goes back to the pool when closed; the pool keeps at most {@value #MAX_IDLE} idle ones.
 * A cursor is used by one thread at a time; Chronicle's single-thread check is reset when it changes hands.
 */
public final class CursorPool implements AutoCloseable {

    private static final int MAX_IDLE = 16;

    private final ChronicleEventLog log;
    private final ConcurrentLinkedDeque<LogCursor> idle = new ConcurrentLinkedDeque<>();
    private final AtomicInteger idleCount = new AtomicInteger();
    private volatile boolean closed;

    public CursorPool(ChronicleEventLog log) {
        this.log = log;
    }

    /** A cursor for this thread; close it to give it back. Position it before reading (it starts anywhere). */
    public LogCursor borrow() {
        LogCursor cursor = idle.pollFirst();
        if (cursor == null) {
            cursor = log.cursor();
        } else {
            idleCount.decrementAndGet();
            cursor.handOver();
        }
        cursor.pool(this);
        return cursor;
    }

    void giveBack(LogCursor cursor) {
        if (closed || idleCount.get() >= MAX_IDLE) {
            cursor.release();
            return;
        }
        idleCount.incrementAndGet();
        idle.addFirst(cursor);
        if (closed && idle.remove(cursor)) {
            cursor.release();
        }
    }

    @Override
    public void close() {
        closed = true;
        LogCursor cursor;
        while ((cursor = idle.pollFirst()) != null) {
            cursor.release();
        }
    }
}
