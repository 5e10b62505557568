package io.leakdetector.core.ingest;

import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.LocalDate;

/**
 * A reusable view of an ASCII byte range as a {@link CharSequence}, with parsers for the canonical forms the
 * project writes (dates, UTC timestamps, plain integers) that return a "no" value for anything else, so that the
 * caller can hand the text to the general parser and get exactly its result or error.
 */
final class AsciiSlice implements CharSequence {
    private byte[] buf;
    private int start, end;

    void set(byte[] buf, int start, int end) {
        this.buf = buf;
        this.start = start;
        this.end = end;
    }

    @Override
    public int length() {
        return end - start;
    }

    @Override
    public char charAt(int index) {
        return (char) (buf[start + index] & 0xff);
    }

    @Override
    public CharSequence subSequence(int from, int to) {
        return toString().substring(from, to);
    }

    @Override
    public String toString() {
        return new String(buf, start, end - start, StandardCharsets.ISO_8859_1);
    }

    int hash() {
        int h = 1;
        for (int i = start; i < end; i++) h = 31 * h + buf[i];
        return h;
    }

    /** True when {@code s} has exactly this slice's characters. */
    boolean sameAs(String s) {
        int n = end - start;
        if (s.length() != n) return false;
        for (int i = 0; i < n; i++) if (s.charAt(i) != (buf[start + i] & 0xff)) return false;
        return true;
    }

    private int digits(int from, int to) {
        int v = 0;
        for (int i = start + from; i < start + to; i++) {
            int c = buf[i] - '0';
            if (c < 0 || c > 9) return -1;
            v = v * 10 + c;
        }
        return v;
    }

    /** "2026-03-01" as {@link io.leakdetector.core.ingest.Values#date} reads it, or null for any other text or an invalid day. */
    LocalDate canonicalDate() {
        if (end - start != 10 || buf[start + 4] != '-' || buf[start + 7] != '-') return null;
        int y = digits(0, 4), m = digits(5, 7), d = digits(8, 10);
        if (y < 0 || m < 0 || d < 0) return null;
        try {
            return LocalDate.of(y, m, d);
        } catch (DateTimeException e) {
            return null;
        }
    }

    /**
     * Epoch seconds of "2026-03-01" or "2026-03-01T10:15:30Z" exactly as {@link Values#instant} reads them, or
     * {@link Long#MIN_VALUE} for any other form (or an invalid value), which the caller hands to the general parser.
     */
    long canonicalEpochSeconds() {
        int n = end - start;
        if (n == 10) {
            LocalDate d = canonicalDate();
            return d == null ? Long.MIN_VALUE : d.toEpochDay() * 86_400L;
        }
        if (n != 20 || buf[start + 10] != 'T' || buf[start + 19] != 'Z' || buf[start + 4] != '-' || buf[start + 7] != '-'
                || buf[start + 13] != ':' || buf[start + 16] != ':') {
            return Long.MIN_VALUE;
        }
        int y = digits(0, 4), mo = digits(5, 7), d = digits(8, 10);
        int h = digits(11, 13), mi = digits(14, 16), s = digits(17, 19);
        if (y < 0 || mo < 1 || mo > 12 || d < 1 || h < 0 || h >= 24 || mi < 0 || mi >= 60 || s < 0 || s >= 60) {
            return Long.MIN_VALUE;
        }
        try {
            return LocalDate.of(y, mo, d).toEpochDay() * 86_400L + h * 3600L + mi * 60L + s;
        } catch (DateTimeException e) {
            return Long.MIN_VALUE;
        }
    }

    /** An optionally signed run of 1 to 18 digits, as {@link Long#parseLong} reads it; {@link Long#MIN_VALUE} otherwise. */
    long plainLong() {
        int i = start;
        boolean negative = false;
        if (i < end && (buf[i] == '-' || buf[i] == '+')) {
            negative = buf[i] == '-';
            i++;
        }
        int n = end - i;
        if (n < 1 || n > 18) return Long.MIN_VALUE;
        long v = 0;
        for (; i < end; i++) {
            int c = buf[i] - '0';
            if (c < 0 || c > 9) return Long.MIN_VALUE;
            v = v * 10 + c;
        }
        return negative ? -v : v;
    }
}
