package dev.strata.projections;

/** RocksDB could not read or write the read models (a full disk, an I/O error, a database held by another process). */
public class ReadModelException extends ProjectionException {

    public ReadModelException(String message, Throwable cause) {
        super(message, cause);
    }
}
