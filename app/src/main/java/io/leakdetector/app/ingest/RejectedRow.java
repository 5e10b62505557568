package io.leakdetector.app.ingest;

/** A stored rejected row: which import first saw it, file, line, column (may be null), reason and raw text. */
public record RejectedRow(long importId, String file, long line, String column, String reason, String raw) {}
