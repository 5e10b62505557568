package io.leakdetector.core.ingest;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Test helper: reads a file or text through a schema and keeps every accepted row and rejection. */
final class Collect<T> implements RowHandler<T> {
    final List<Parsed<T>> accepted = new ArrayList<>();
    final List<Rejection> rejected = new ArrayList<>();
    DataFileReader.FileCounts counts;

    @Override
    public void accepted(Parsed<T> row) {
        accepted.add(row);
    }

    @Override
    public void rejected(Rejection rejection) {
        rejected.add(rejection);
    }

    static <T> Collect<T> read(Path file, EntitySchema<T> schema) {
        Collect<T> c = new Collect<>();
        c.counts = DataFileReader.read(file, schema, c);
        return c;
    }

    static <T> Collect<T> read(String fileName, String text, EntitySchema<T> schema) {
        return read(fileName, text.getBytes(StandardCharsets.UTF_8), schema);
    }

    static <T> Collect<T> read(String fileName, byte[] bytes, EntitySchema<T> schema) {
        Collect<T> c = new Collect<>();
        c.counts = DataFileReader.read(new ByteArrayInputStream(bytes), fileName, schema, c);
        return c;
    }

    List<T> records() {
        return accepted.stream().map(Parsed::record).toList();
    }
}
