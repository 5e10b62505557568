package io.leakdetector.core.ingest;

/** Receives each row of a file in order: a parsed record or a rejection, never both. */
public interface RowHandler<T> {
    void accepted(Parsed<T> row);

    void rejected(Rejection rejection);
}
