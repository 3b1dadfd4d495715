package dev.strata.projections.internal;

/** Keys of the pipeline's records in the default column family (see {@link ReadModelDatabase}). */
final class MetaKeys {

    private MetaKeys() {
    }

    static byte[] active(String projection) {
        return ReadModelDatabase.ascii("active/" + projection);
    }

    static byte[] partitions(String projection, long generation) {
        return ReadModelDatabase.ascii("partitions/" + projection + "/" + generation);
    }

    static byte[] checkpoint(String projection, long generation, int partition) {
        return ReadModelDatabase.ascii("checkpoint/" + projection + "/" + generation + "/" + partition);
    }

    static byte[] rebuild(String projection) {
        return ReadModelDatabase.ascii("rebuild/" + projection);
    }

    static byte[] retired(String projection, long generation) {
        return ReadModelDatabase.ascii("retired/" + projection + "/" + generation);
    }
}
