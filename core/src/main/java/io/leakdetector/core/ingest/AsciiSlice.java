package io.leakdetector.core.ingest;

import java.nio.charset.StandardCharsets;

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

    /** True when {@code b[from, to)} has exactly this slice's bytes. */
    boolean sameAs(byte[] b, int from, int to) {
        int n = end - start;
        if (to - from != n) return false;
        for (int i = 0; i < n; i++) if (b[from + i] != buf[start + i]) return false;
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

    /**
     * The epoch day of "2026-03-01" as {@link io.leakdetector.core.ingest.Values#date} reads it, or {@link Long#MIN_VALUE}
     * for any other text or an invalid day.
     */
    long canonicalEpochDay() {
        if (end - start != 10 || buf[start + 4] != '-' || buf[start + 7] != '-') return Long.MIN_VALUE;
        int y = digits(0, 4), m = digits(5, 7), d = digits(8, 10);
        if (y < 0 || m < 0 || d < 0) return Long.MIN_VALUE;
        return epochDay(y, m, d);
    }

    /**
     * Epoch seconds of "2026-03-01" or "2026-03-01T10:15:30Z" exactly as {@link Values#instant} reads them, or
     * {@link Long#MIN_VALUE} for any other form (or an invalid value), which the caller hands to the general parser.
     */
    long canonicalEpochSeconds() {
        int n = end - start;
        if (n == 10) {
            if (buf[start + 4] != '-' || buf[start + 7] != '-') return Long.MIN_VALUE;
            int y = digits(0, 4), m = digits(5, 7), d = digits(8, 10);
            if (y < 0 || m < 0 || d < 0) return Long.MIN_VALUE;
            long day = epochDay(y, m, d);
            return day == Long.MIN_VALUE ? Long.MIN_VALUE : day * 86_400L;
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
        long day = epochDay(y, mo, d);
        return day == Long.MIN_VALUE ? Long.MIN_VALUE : day * 86_400L + h * 3600L + mi * 60L + s;
    }

    /** LocalDate.of(y, m, d).toEpochDay() for a year 0-9999, without the object; MIN_VALUE for a day that does not exist. */
    static long epochDay(int y, int m, int d) {
        boolean leap = (y & 3) == 0 && (y % 100 != 0 || y % 400 == 0);
        if (m < 1 || m > 12 || d < 1) return Long.MIN_VALUE;
        int length = m == 2 ? (leap ? 29 : 28) : m == 4 || m == 6 || m == 9 || m == 11 ? 30 : 31;
        if (d > length) return Long.MIN_VALUE;
        long total = 365L * y + (y + 3) / 4 - (y + 99) / 100 + (y + 399) / 400 + (367L * m - 362) / 12 + d - 1;
        if (m > 2) total -= leap ? 1 : 2;
        return total - 719_528L; // days from 0000-01-01 to 1970-01-01
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
