package dev.strata.eventstore.testkit;

import java.util.List;
import java.util.stream.LongStream;

/** Expected sequences of versions and positions. */
public final class LongStreamRange {

    private LongStreamRange() {
    }

    /** from, from+1, ..., toExclusive-1 */
    public static List<Long> of(long from, long toExclusive) {
        return LongStream.range(from, toExclusive).boxed().toList();
    }

    /** toExclusive-1, ..., from */
    public static List<Long> reversed(long from, long toExclusive) {
        return LongStream.range(from, toExclusive).map(i -> toExclusive - 1 - (i - from)).boxed().toList();
    }
}
