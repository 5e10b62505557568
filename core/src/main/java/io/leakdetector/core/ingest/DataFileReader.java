package io.leakdetector.core.ingest;

import de.siegmar.fastcsv.reader.CsvReader;
import de.siegmar.fastcsv.reader.CsvRecord;
import io.leakdetector.core.domain.RowSource;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Streams one CSV data file through its schema: header names (and Stripe aliases) are matched to columns,
 * every row is validated and handed on as a {@link Parsed} record or a {@link Rejection} with file, line,
 * column and reason. Memory stays flat whatever the file size.
 */
public final class DataFileReader {
    private static final char REPLACEMENT = '\uFFFD';

    private DataFileReader() {}

    /** Reads {@code file} with the schema of {@code kind}; the file name in sources and rejections is its name. */
    public static <T> FileCounts read(Path file, EntitySchema<T> schema, RowHandler<T> handler) {
        return read(file, schema, handler, true);
    }

    /**
     * As {@link #read(Path, EntitySchema, RowHandler)}; {@code hashContent} false skips the content hash (then 0 in
     * every {@link Parsed}) for callers that never compare re-imported rows, such as a one-off scan.
     */
    public static <T> FileCounts read(Path file, EntitySchema<T> schema, RowHandler<T> handler, boolean hashContent) {
        try (InputStream in = Files.newInputStream(file)) {
            return read(in, file.getFileName().toString(), schema, handler, hashContent);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    public static <T> FileCounts read(InputStream in, String fileName, EntitySchema<T> schema, RowHandler<T> handler) {
        return read(in, fileName, schema, handler, true);
    }

    public static <T> FileCounts read(InputStream in, String fileName, EntitySchema<T> schema, RowHandler<T> handler,
                                      boolean hashContent) {
        // Malformed UTF-8 becomes U+FFFD so that one bad byte rejects its row, not the whole file.
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPLACE)
                .onUnmappableCharacter(CodingErrorAction.REPLACE);
        Reader reader = new InputStreamReader(in instanceof java.io.BufferedInputStream ? in : new java.io.BufferedInputStream(in, 1 << 16), decoder);
        long read = 0, accepted = 0, rejected = 0;
        try (CsvReader<CsvRecord> csv = CsvReader.builder()
                .ignoreDifferentFieldCount(true)
                .skipEmptyLines(true)
                .detectBomHeader(true)
                .ofCsvRecord(reader)) {
            Iterator<CsvRecord> it = csv.iterator();
            if (!it.hasNext()) throw new FileFormatException(fileName, "empty file: a header row is required");
            CsvRecord header = it.next();
            int[] index = mapHeader(fileName, schema, header.getFields());
            int width = header.getFieldCount();
            String[] columnOfField = columnNames(schema, index, header.getFields());
            RowView view = new RowView(schema.columns(), index);
            while (it.hasNext()) {
                CsvRecord rec;
                try {
                    rec = it.next();
                } catch (RuntimeException e) { // FastCSV's CsvParseException (e.g. unterminated quote)
                    read++;
                    rejected++;
                    handler.rejected(new Rejection(fileName, -1, null, "unreadable CSV: " + e.getMessage(), ""));
                    break;
                }
                read++;
                long line = rec.getStartingLineNumber();
                List<String> fields = rec.getFields();
                try {
                    if (rec.getFieldCount() != width) {
                        throw new RowRejectedException(null, "expected " + width + " fields, found " + rec.getFieldCount());
                    }
                    for (int i = 0; i < fields.size(); i++) {
                        if (fields.get(i).indexOf(REPLACEMENT) >= 0) {
                            throw new RowRejectedException(columnOfField[i], "invalid UTF-8 bytes");
                        }
                    }
                    view.reset(fields);
                    T record = schema.mapper().apply(view, RowSource.at(fileName, line));
                    handler.accepted(new Parsed<>(record, schema.key().apply(record), hashContent ? contentHash(schema, index, fields) : 0L, line, fields));
                    accepted++;
                } catch (RowRejectedException e) {
                    rejected++;
                    handler.rejected(new Rejection(fileName, line, e.column(), e.reason(), join(fields)));
                } catch (IllegalArgumentException e) { // domain validation naming the field
                    rejected++;
                    String column = e instanceof io.leakdetector.core.domain.DomainValidationException d ? d.field() : null;
                    handler.rejected(new Rejection(fileName, line, column, e.getMessage(), join(fields)));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + fileName, e);
        }
        return new FileCounts(read, accepted, rejected);
    }

    /** How many rows a read saw, accepted and rejected (read = accepted + rejected). */
    public record FileCounts(long read, long accepted, long rejected) {}

    static <T> int[] mapHeader(String fileName, EntitySchema<T> schema, List<String> headerFields) {
        Map<String, Integer> byNormalized = new HashMap<>();
        for (int i = 0; i < headerFields.size(); i++) {
            byNormalized.putIfAbsent(normalize(headerFields.get(i)), i);
        }
        List<Column> columns = schema.columns();
        int[] index = new int[columns.size()];
        List<String> missing = new ArrayList<>();
        for (int c = 0; c < columns.size(); c++) {
            Column col = columns.get(c);
            Integer at = byNormalized.get(normalize(col.name()));
            for (int a = 0; at == null && a < col.aliases().size(); a++) {
                at = byNormalized.get(normalize(col.aliases().get(a)));
            }
            index[c] = at == null ? -1 : at;
            if (at == null && col.required()) missing.add(col.name());
        }
        if (!missing.isEmpty()) {
            throw new FileFormatException(fileName, "header lacks required column" + (missing.size() > 1 ? "s " : " ")
                    + String.join(", ", missing) + " (header was: " + String.join(",", headerFields) + ")");
        }
        return index;
    }

    /** For each field of the file, the schema column it feeds, or its header text when the schema ignores it. */
    static String[] columnNames(EntitySchema<?> schema, int[] index, List<String> headerFields) {
        String[] names = headerFields.toArray(new String[0]);
        for (int c = index.length - 1; c >= 0; c--) {
            if (index[c] >= 0) names[index[c]] = schema.columns().get(c).name();
        }
        return names;
    }

    /** "Created (UTC)" and "created_utc" both become "createdutc". */
    static String normalize(String header) {
        StringBuilder sb = new StringBuilder(header.length());
        for (int i = 0; i < header.length(); i++) {
            char c = header.charAt(i);
            if (Character.isLetterOrDigit(c)) sb.append(Character.toLowerCase(c));
        }
        return sb.toString().toLowerCase(Locale.ROOT);
    }

    /** 64-bit FNV-1a over the trimmed schema columns in schema order: the same content hashes the same. */
    static long contentHash(EntitySchema<?> schema, int[] index, List<String> fields) {
        long h = 0xcbf29ce484222325L;
        for (int idx : index) {
            if (idx >= 0 && idx < fields.size()) {
                String v = fields.get(idx);
                int from = 0, to = v.length();
                while (from < to && Character.isWhitespace(v.charAt(from))) from++;
                while (to > from && Character.isWhitespace(v.charAt(to - 1))) to--;
                for (int i = from; i < to; i++) { // the trimmed value, without allocating a copy
                    h ^= v.charAt(i);
                    h *= 0x100000001b3L;
                }
            }
            h ^= 0x1f;
            h *= 0x100000001b3L;
        }
        return h;
    }

    static String join(List<String> fields) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < fields.size(); i++) {
            if (i > 0) sb.append(',');
            String f = fields.get(i);
            if (f.indexOf(',') >= 0 || f.indexOf('"') >= 0 || f.indexOf('\n') >= 0) {
                sb.append('"').append(f.replace("\"", "\"\"")).append('"');
            } else {
                sb.append(f);
            }
        }
        return sb.toString();
    }
}
