package dev.strata.eventstore;

import java.util.List;

/**
 * What {@link EventStoreBuilder#verify} found: {@code clean} when every record's checksum holds, positions are
 * dense from 0, every stream's versions are contiguous from 0, the commit watermark agrees with the log, and the
 * index agrees with the log as far as it reaches. {@code problems} says what is wrong, at most 100 of them.
 */
public record VerificationReport(boolean clean, long records, long events, long streams, long headPosition, long bytes,
                                 long indexedPosition, long tailRecords, List<String> problems) {

    /** One line: what was checked and the verdict. */
    public String summary() {
        String what = events + " events in " + records + " records, " + streams + " streams, positions 0.." + headPosition
                + ", " + bytes + " bytes; index up to position " + indexedPosition
                + (tailRecords > 0 ? "; " + tailRecords + " records after the commit watermark (not acknowledged)" : "");
        return (clean ? "OK: " : "DAMAGED (" + problems.size() + " problems): ") + what;
    }
}
