package io.leakdetector.app.ingest;

import io.leakdetector.app.store.Store;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;

/**
 * Writes rejected rows as RFC 4180 CSV for people who open it in a spreadsheet: a cell that begins with
 * {@code = + - @} (or a tab or carriage return) gets a leading apostrophe so that it is shown, never evaluated.
 */
public final class RejectedRowsCsv {
    private final Writer out;

    public RejectedRowsCsv(Writer out) {
        this.out = out;
    }

    /**
     * Writes the header and the rejected rows of one import (all imports when {@code importId} is null) from the
     * store; returns how many rows were written. Used by the {@code rejected} command and the import API.
     */
    public static long export(Store store, Long importId, Writer w) throws IOException {
        RejectedRowsCsv csv = new RejectedRowsCsv(w);
        csv.header();
        long[] n = {0};
        new ImportRunRepository(store).forEachRejected(importId, row -> {
            try {
                csv.row(row);
                n[0]++;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        return n[0];
    }

    public void header() throws IOException {
        out.write("import_id,file,line,column,reason,raw\r\n");
    }

    public void row(RejectedRow r) throws IOException {
        out.write(Long.toString(r.importId()));
        out.write(',');
        cell(r.file());
        out.write(',');
        out.write(Long.toString(r.line()));
        out.write(',');
        cell(r.column());
        out.write(',');
        cell(r.reason());
        out.write(',');
        cell(r.raw());
        out.write("\r\n");
    }

    private void cell(String value) throws IOException {
        out.write(quote(neutralise(value == null ? "" : value)));
    }

    /** Prefixes a formula-looking cell with an apostrophe (OWASP CSV injection guidance). */
    public static String neutralise(String v) {
        if (v.isEmpty()) return v;
        char c = v.charAt(0);
        return c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r' ? "'" + v : v;
    }

    public static String quote(String v) {
        boolean needs = false;
        for (int i = 0; i < v.length() && !needs; i++) {
            char c = v.charAt(i);
            needs = c == ',' || c == '"' || c == '\n' || c == '\r';
        }
        return needs ? '"' + v.replace("\"", "\"\"") + '"' : v;
    }
}
