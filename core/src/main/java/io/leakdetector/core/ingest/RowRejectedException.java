package io.leakdetector.core.ingest;

/** A row cannot be accepted; {@code column} names the offending column (null when the row as a whole is wrong). */
public final class RowRejectedException extends RuntimeException {
    private final String column;

    public RowRejectedException(String column, String reason) {
        super(reason, null, false, false);
        this.column = column;
    }

    public String column() {
        return column;
    }

    public String reason() {
        return getMessage();
    }
}
