package io.leakdetector.core.generate;

import io.leakdetector.core.evaluate.TruthFile;
import io.leakdetector.core.ingest.Column;
import io.leakdetector.core.ingest.EntityKind;
import io.leakdetector.core.ingest.Schemas;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;

/**
 * The files of one generated data directory, each behind its own buffer, and a row builder that writes UTF-8
 * bytes straight from numbers, timestamps and money (no per-field strings, no charset encoder: the generator
 * writes tens of millions of fields). Columns are written in the order of {@link Schemas}, under their canonical
 * names.
 */
final class Out implements Closeable {
    static final String TRUTH_FILE = "truth.csv";

    private final Sink[] sinks = new Sink[EntityKind.values().length];
    private final Sink truth;
    final long[] rows = new long[EntityKind.values().length];
    long truthRows;
    private byte[] row = new byte[1024];
    private int pos;
    private boolean first;
    private final byte[][] dayCache; // days since the cache base -> "YYYY-MM-DD"
    private final long cacheBaseDay;

    Out(Path dir, long fromEpochDay, long toEpochDay) {
        this.cacheBaseDay = fromEpochDay;
        this.dayCache = new byte[(int) (toEpochDay - fromEpochDay + 1)][];
        try {
            Files.createDirectories(dir);
            for (EntityKind kind : EntityKind.values()) {
                Sink s = new Sink(Files.newOutputStream(dir.resolve(kind.fileName())));
                sinks[kind.ordinal()] = s;
                StringBuilder h = new StringBuilder();
                for (Column c : Schemas.of(kind).columns()) {
                    if (h.length() > 0) h.append(',');
                    h.append(c.name());
                }
                s.write((h + "\n").getBytes(StandardCharsets.UTF_8));
            }
            truth = new Sink(Files.newOutputStream(dir.resolve(TRUTH_FILE)));
            truth.write((String.join(",", TruthFile.COLUMNS) + "\n").getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + dir, e);
        }
    }

    /** A file with its own 64 KiB buffer. */
    private static final class Sink implements Closeable {
        private final OutputStream out;
        private final byte[] buf = new byte[1 << 16];
        private int n;

        Sink(OutputStream out) {
            this.out = out;
        }

        void write(byte[] b) throws IOException {
            write(b, b.length);
        }

        void write(byte[] b, int len) throws IOException {
            if (n + len > buf.length) {
                out.write(buf, 0, n);
                n = 0;
                if (len > buf.length) {
                    out.write(b, 0, len);
                    return;
                }
            }
            System.arraycopy(b, 0, buf, n, len);
            n += len;
        }

        @Override
        public void close() throws IOException {
            out.write(buf, 0, n);
            n = 0;
            out.close();
        }
    }

    Out begin() {
        pos = 0;
        first = true;
        return this;
    }

    private void room(int more) {
        if (pos + more > row.length) row = java.util.Arrays.copyOf(row, Math.max(row.length * 2, pos + more));
    }

    private void sep() {
        room(1);
        if (!first) row[pos++] = ',';
        first = false;
    }

    Out s(String v) {
        sep();
        if (v == null) return this;
        int len = v.length();
        boolean plain = true;
        for (int i = 0; i < len; i++) {
            char c = v.charAt(i);
            if (c >= 0x80 || c == ',' || c == '"' || c == '\n' || c == '\r') {
                plain = false;
                break;
            }
        }
        if (plain) {
            room(len);
            for (int i = 0; i < len; i++) row[pos++] = (byte) v.charAt(i);
            return this;
        }
        boolean quote = v.indexOf(',') >= 0 || v.indexOf('"') >= 0 || v.indexOf('\n') >= 0 || v.indexOf('\r') >= 0;
        byte[] b = (quote ? '"' + v.replace("\"", "\"\"") + '"' : v).getBytes(StandardCharsets.UTF_8);
        room(b.length);
        System.arraycopy(b, 0, row, pos, b.length);
        pos += b.length;
        return this;
    }

    Out blank() {
        sep();
        return this;
    }

    Out i(long v) {
        sep();
        digits(v);
        return this;
    }

    Out b(boolean v) {
        return s(v ? "true" : "false");
    }

    private void digits(long v) {
        room(20);
        if (v < 0) {
            row[pos++] = '-';
            v = -v;
        }
        if (v < 10) {
            row[pos++] = (byte) ('0' + v);
            return;
        }
        int start = pos;
        while (v > 0) {
            row[pos++] = (byte) ('0' + v % 10);
            v /= 10;
        }
        for (int a = start, z = pos - 1; a < z; a++, z--) {
            byte t = row[a];
            row[a] = row[z];
            row[z] = t;
        }
    }

    /** Money as decimal major units of a currency with {@code exponent} decimals ("49.00", "4900", "1.250"). */
    Out m(long minor, int exponent) {
        sep();
        if (exponent == 0) {
            digits(minor);
            return this;
        }
        room(24);
        if (minor < 0) {
            row[pos++] = '-';
            minor = -minor;
        }
        long scale = 1;
        for (int k = 0; k < exponent; k++) scale *= 10;
        digits(minor / scale);
        row[pos++] = '.';
        long frac = minor % scale;
        for (long d = scale / 10; d > 0; d /= 10) row[pos++] = (byte) ('0' + frac / d % 10);
        return this;
    }

    /** A UTC timestamp "2026-03-01T10:15:30Z" from epoch seconds. */
    Out t(long epochSecond) {
        sep();
        long day = Math.floorDiv(epochSecond, 86_400);
        int secs = (int) (epochSecond - day * 86_400);
        day(day);
        room(10);
        row[pos++] = 'T';
        two(secs / 3600);
        row[pos++] = ':';
        two(secs / 60 % 60);
        row[pos++] = ':';
        two(secs % 60);
        row[pos++] = 'Z';
        return this;
    }

    /** A date "2026-03-01" from epoch seconds. */
    Out d(long epochSecond) {
        sep();
        day(Math.floorDiv(epochSecond, 86_400));
        return this;
    }

    private void two(int v) {
        row[pos++] = (byte) ('0' + v / 10);
        row[pos++] = (byte) ('0' + v % 10);
    }

    private void day(long epochDay) {
        int idx = (int) (epochDay - cacheBaseDay);
        byte[] c;
        if (idx < 0 || idx >= dayCache.length) {
            c = LocalDate.ofEpochDay(epochDay).toString().getBytes(StandardCharsets.US_ASCII);
        } else {
            c = dayCache[idx];
            if (c == null) dayCache[idx] = c = LocalDate.ofEpochDay(epochDay).toString().getBytes(StandardCharsets.US_ASCII);
        }
        room(c.length);
        System.arraycopy(c, 0, row, pos, c.length);
        pos += c.length;
    }

    void end(EntityKind kind) {
        finish(sinks[kind.ordinal()]);
        rows[kind.ordinal()]++;
    }

    void endTruth() {
        finish(truth);
        truthRows++;
    }

    private void finish(Sink sink) {
        room(1);
        row[pos++] = '\n';
        try {
            sink.write(row, pos);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        IOException failure = null;
        for (Sink s : sinks) {
            try {
                if (s != null) s.close();
            } catch (IOException e) {
                if (failure == null) failure = e;
            }
        }
        try {
            if (truth != null) truth.close();
        } catch (IOException e) {
            if (failure == null) failure = e;
        }
        if (failure != null) throw new UncheckedIOException(failure);
    }
}
