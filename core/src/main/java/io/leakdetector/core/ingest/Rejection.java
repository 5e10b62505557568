package io.leakdetector.core.ingest;

/** A rejected row, kept with where it was and why: file, 1-based line, column (may be null), reason and raw text. */
public record Rejection(String file, long line, String column, String reason, String raw) {

    /** "invoices.csv:12 column total: not a number: 'abc'". */
    public String describe() {
        return file + ":" + line + (column == null ? "" : " column " + column) + ": " + reason;
    }
}
