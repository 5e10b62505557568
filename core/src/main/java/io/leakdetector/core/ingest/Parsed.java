package io.leakdetector.core.ingest;

import java.util.List;

/**
 * A row that passed validation: the domain record, its identity key within its file kind, a hash of its
 * canonical content (to tell a true duplicate from a conflicting one), its line and its raw fields (so that a
 * later check, such as a reference to a missing record, can still report the row as it was written).
 */
public record Parsed<T>(T record, String key, long contentHash, long line, List<String> fields) {

    public Parsed {
        fields = fields == null ? List.of() : fields;
    }

    /** A parsed row without its raw fields. */
    public Parsed(T record, String key, long contentHash, long line) {
        this(record, key, contentHash, line, List.of());
    }

    /** The row as CSV text, as a {@link Rejection} carries it. */
    public String raw() {
        return DataFileReader.join(fields);
    }
}
