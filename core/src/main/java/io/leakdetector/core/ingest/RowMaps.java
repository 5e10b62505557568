package io.leakdetector.core.ingest;

import io.leakdetector.core.domain.RowSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Validates one record given as field → text (a JSON object in the API, a mapped provider event) through the same
 * schema as a CSV row: field names are the file's column names or their aliases, errors name the field, and the
 * content hash is the one a CSV row with the same values gets.
 */
public final class RowMaps {
    private RowMaps() {}

    /**
     * Parses {@code values} as one row of {@code schema}; {@code source} becomes the record's source.
     *
     * @throws RowRejectedException naming the field when a field is unknown, missing or malformed
     * @throws io.leakdetector.core.domain.DomainValidationException when the record breaks a domain rule
     */
    public static <T> Parsed<T> parse(EntitySchema<T> schema, Map<String, String> values, String source) {
        List<String> names = new ArrayList<>(values.size());
        List<String> fields = new ArrayList<>(values.size());
        for (Map.Entry<String, String> e : values.entrySet()) {
            // No database stores U+0000 in text (PostgreSQL refuses it): reject it here, naming the field.
            if (e.getValue() != null && e.getValue().indexOf('\0') >= 0) {
                throw new RowRejectedException(e.getKey(), "contains a NUL character");
            }
            names.add(e.getKey());
            fields.add(e.getValue() == null ? "" : e.getValue());
        }
        int[] index;
        try {
            index = header(schema, names);
        } catch (FileFormatException e) {
            List<String> missing = new ArrayList<>();
            for (Column c : schema.columns()) {
                if (c.required() && !present(schema, c, names)) missing.add(c.name());
            }
            throw new RowRejectedException(missing.isEmpty() ? null : missing.get(0), "required value is missing");
        }
        boolean[] used = new boolean[names.size()];
        for (int idx : index) if (idx >= 0) used[idx] = true;
        for (int i = 0; i < used.length; i++) {
            if (!used[i]) throw new RowRejectedException(names.get(i), "unknown field for " + schema.kind().fileName());
        }
        RowView view = new RowView(schema.columns(), index);
        view.reset(fields);
        T record = schema.mapper().apply(view, RowSource.of(source));
        return new Parsed<>(record, schema.key().apply(record), DataFileReader.contentHash(schema, index, fields), 0);
    }

    /**
     * The schema column → field position map of these field names; the same names in the same order (every event of
     * one type) are mapped once, not once per record (normalising every column name and alias was 4 % of the real-time
     * HTTP threads' profile samples). Only successful maps are kept, at most {@link #HEADERS_KEPT}; callers never change the array.
     */
    private static int[] header(EntitySchema<?> schema, List<String> names) {
        HeaderKey key = new HeaderKey(schema, names);
        int[] index = HEADERS.get(key);
        if (index != null) return index;
        index = DataFileReader.mapHeader(schema.kind().fileName(), schema, names);
        if (HEADERS.size() >= HEADERS_KEPT) HEADERS.clear();
        HEADERS.put(new HeaderKey(schema, List.copyOf(names)), index); // the caller's list may change later
        return index;
    }

    private static final int HEADERS_KEPT = 1024;
    private static final Map<HeaderKey, int[]> HEADERS = new ConcurrentHashMap<>();

    /** A schema (by identity) and field names in order. */
    private static final class HeaderKey {
        private final EntitySchema<?> schema;
        private final List<String> names;
        private final int hash;

        HeaderKey(EntitySchema<?> schema, List<String> names) {
            this.schema = schema;
            this.names = names;
            this.hash = 31 * System.identityHashCode(schema) + names.hashCode();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof HeaderKey k && k.schema == schema && k.hash == hash && k.names.equals(names);
        }

        @Override
        public int hashCode() {
            return hash;
        }
    }

    private static boolean present(EntitySchema<?> schema, Column c, List<String> names) {
        for (String n : names) {
            String norm = DataFileReader.normalize(n);
            if (norm.equals(DataFileReader.normalize(c.name()))) return true;
            for (String a : c.aliases()) if (norm.equals(DataFileReader.normalize(a))) return true;
        }
        return false;
    }
}
