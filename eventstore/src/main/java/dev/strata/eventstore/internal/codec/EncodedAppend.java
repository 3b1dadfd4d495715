package dev.strata.eventstore.internal.codec;

import dev.strata.eventstore.AppendRequest;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * An append encoded as a record, waiting for the writer to stamp it. Owned by one thread at a time:
 * the appender builds it, the writer stamps and writes it.
 */
public final class EncodedAppend {

    private final List<AppendRequest> requests;
    private final byte[] record;
    private final int[] versionOffsets;
    private final int[] eventsStart;
    private final int[] eventsEnd;
    private final int eventCount;

    EncodedAppend(List<AppendRequest> requests, byte[] record, int[] versionOffsets, int[] eventsStart, int[] eventsEnd,
                  int eventCount) {
        this.requests = requests;
        this.record = record;
        this.versionOffsets = versionOffsets;
        this.eventsStart = eventsStart;
        this.eventsEnd = eventsEnd;
        this.eventCount = eventCount;
    }

    public List<AppendRequest> requests() {
        return requests;
    }

    public int eventCount() {
        return eventCount;
    }

    public byte[] record() {
        return record;
    }

    public int length() {
        return record.length;
    }

    /** The encoded events of section {@code s}: equal bytes mean equal events (the encoding is deterministic). */
    public int eventsStart(int section) {
        return eventsStart[section];
    }

    public int eventsEnd(int section) {
        return eventsEnd[section];
    }

    /** Sets what only the writer knows, then the CRC over everything else. */
    public void stamp(long firstPosition, long timeMicros, long[] firstVersions) {
        Bytes.putLong(record, RecordFormat.OFFSET_POSITION, firstPosition);
        Bytes.putLong(record, RecordFormat.OFFSET_TIME, timeMicros);
        for (int s = 0; s < versionOffsets.length; s++) {
            Bytes.putLong(record, versionOffsets[s], firstVersions[s]);
        }
        CRC32C crc = new CRC32C();
        crc.update(record, 4, record.length - 4);
        Bytes.putInt(record, RecordFormat.OFFSET_CRC, (int) crc.getValue());
    }
}
