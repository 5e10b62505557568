package io.leakdetector.core.generate;

import io.leakdetector.core.ingest.Column;
import io.leakdetector.core.ingest.EntityKind;
import io.leakdetector.core.ingest.Schemas;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;

/**
 * The files of one generated data directory, each behind its own buffered writer, with a row builder that
 * formats timestamps, dates and money without allocating per field. Columns are written in the order of
 * {@link Schemas}, under their canonical names.
 */
final class Out implements Closeable {
    static final String TRUTH_FILE = "truth.csv";

    private final Sink[] writers = new Sink[EntityKind.values().length];
    private final Sink truth;
    final long[] rows = new long[EntityKind.values().length];
    long truthRows;
    private final StringBuilder sb = new StringBuilder(512);
    private boolean first;
    private final char[][] dayCache; // days since the cache base -> "YYYY-MM-DD"
    private final long cacheBaseDay;

    Out(Path dir, long fromEpochDay, long toEpochDay) {
        this.cacheBaseDay = fromEpochDay;
        this.dayCache = new char[(int) (toEpochDay - fromEpochDay + 1)][];
        try {
            Files.createDirectories(dir);
            for (EntityKind kind : EntityKind.values()) {
                Sink w = open(dir.resolve(kind.fileName()));
                writers[kind.ordinal()] = w;
                StringBuilder h = new StringBuilder();
                for (Column c : Schemas.of(kind).columns()) {
                    if (h.length() > 0) h.append(',');
                    h.append(c.name());
                }
                w.append(h).append('\n');
            }
            truth = open(dir.resolve(TRUTH_FILE));
            truth.append(String.join(",", io.leakdetector.core.evaluate.TruthFile.COLUMNS)).append('\n');
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + dir, e);
        }
    }

    private static Sink open(Path file) throws IOException {
        return new Sink(Files.newOutputStream(file));
    }

    /** A file with its own byte buffer; rows are UTF-8 encoded by hand (they are almost always ASCII). */
    private static final class Sink implements Closeable {
        private final java.io.OutputStream out;
        private final byte[] buf = new byte[1 << 16];
        private int pos;

        Sink(java.io.OutputStream out) {
            this.out = out;
        }

        Sink append(CharSequence cs) throws IOException {
            for (int i = 0, n = cs.length(); i < n; i++) {
                char c = cs.charAt(i);
                if (pos + 4 > buf.length) flush();
                if (c < 0x80) {
                    buf[pos++] = (byte) c;
                } else if (c < 0x800) {
                    buf[pos++] = (byte) (0xC0 | c >> 6);
                    buf[pos++] = (byte) (0x80 | c & 0x3F);
                } else if (Character.isSurrogate(c)) {
                    byte[] b = String.valueOf(Character.toChars(Character.codePointAt(cs, i))).getBytes(StandardCharsets.UTF_8);
                    if (Character.isHighSurrogate(c)) i++;
                    for (byte x : b) buf[pos++] = x;
                } else {
                    buf[pos++] = (byte) (0xE0 | c >> 12);
                    buf[pos++] = (byte) (0x80 | c >> 6 & 0x3F);
                    buf[pos++] = (byte) (0x80 | c & 0x3F);
                }
            }
            return this;
        }

        Sink append(char c) throws IOException {
            return append(String.valueOf(c));
        }

        private void flush() throws IOException {
            out.write(buf, 0, pos);
            pos = 0;
        }

        @Override
        public void close() throws IOException {
            flush();
            out.close();
        }
    }

    Out begin() {
        sb.setLength(0);
        first = true;
        return this;
    }

    private void sep() {
        if (!first) sb.append(',');
        first = false;
    }

    Out s(String v) {
        sep();
        if (v == null) return this;
        boolean quote = false;
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c == ',' || c == '"' || c == '\n' || c == '\r') {
                quote = true;
                break;
            }
        }
        if (!quote) {
            sb.append(v);
        } else {
            sb.append('"');
            for (int i = 0; i < v.length(); i++) {
                char c = v.charAt(i);
                if (c == '"') sb.append('"');
                sb.append(c);
            }
            sb.append('"');
        }
        return this;
    }

    Out blank() {
        sep();
        return this;
    }

    Out i(long v) {
        sep();
        sb.append(v);
        return this;
    }

    Out b(boolean v) {
        sep();
        sb.append(v);
        return this;
    }

    /** Money as decimal major units of a currency with {@code exponent} decimals. */
    Out m(long minor, int exponent) {
        sep();
        money(sb, minor, exponent);
        return this;
    }

    static void money(StringBuilder sb, long minor, int exponent) {
        if (exponent == 0) {
            sb.append(minor);
            return;
        }
        if (minor < 0) {
            sb.append('-');
            minor = -minor;
        }
        long scale = exponent == 2 ? 100 : exponent == 3 ? 1000 : (long) Math.pow(10, exponent);
        sb.append(minor / scale).append('.');
        String frac = Long.toString(minor % scale);
        for (int k = frac.length(); k < exponent; k++) sb.append('0');
        sb.append(frac);
    }

    static String money(long minor, int exponent) {
        StringBuilder b = new StringBuilder(16);
        money(b, minor, exponent);
        return b.toString();
    }

    /** A UTC timestamp "2026-03-01T10:15:30Z" from epoch seconds. */
    Out t(long epochSecond) {
        sep();
        timestamp(epochSecond);
        return this;
    }

    /** A date "2026-03-01" from epoch seconds. */
    Out d(long epochSecond) {
        sep();
        sb.append(day(Math.floorDiv(epochSecond, 86_400)));
        return this;
    }

    private void timestamp(long epochSecond) {
        long day = Math.floorDiv(epochSecond, 86_400);
        int secs = (int) (epochSecond - day * 86_400);
        sb.append(day(day)).append('T');
        two(secs / 3600).append(':');
        two(secs / 60 % 60).append(':');
        two(secs % 60).append('Z');
    }

    String timestampText(long epochSecond) {
        int mark = sb.length();
        timestamp(epochSecond);
        String text = sb.substring(mark);
        sb.setLength(mark);
        return text;
    }

    private StringBuilder two(int v) {
        if (v < 10) sb.append('0');
        return sb.append(v);
    }

    private char[] day(long epochDay) {
        int idx = (int) (epochDay - cacheBaseDay);
        if (idx < 0 || idx >= dayCache.length) return LocalDate.ofEpochDay(epochDay).toString().toCharArray();
        char[] c = dayCache[idx];
        if (c == null) dayCache[idx] = c = LocalDate.ofEpochDay(epochDay).toString().toCharArray();
        return c;
    }

    void end(EntityKind kind) {
        sb.append('\n');
        try {
            writers[kind.ordinal()].append(sb);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        rows[kind.ordinal()]++;
    }

    void endTruth() {
        sb.append('\n');
        try {
            truth.append(sb);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        truthRows++;
    }

    @Override
    public void close() {
        IOException first = null;
        for (Sink w : writers) {
            try {
                if (w != null) w.close();
            } catch (IOException e) {
                if (first == null) first = e;
            }
        }
        try {
            if (truth != null) truth.close();
        } catch (IOException e) {
            if (first == null) first = e;
        }
        if (first != null) throw new UncheckedIOException(first);
    }
}
