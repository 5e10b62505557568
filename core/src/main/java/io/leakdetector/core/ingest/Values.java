package io.leakdetector.core.ingest;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/** Parsing of the text forms accepted in data files: timestamps, dates, booleans, integers. */
public final class Values {
    private Values() {}

    /**
     * A UTC instant from "2026-03-01" (midnight UTC), "2026-03-01T10:15:30Z" (fractions allowed), an offset form
     * "2026-03-01T10:15:30+01:00", a local form "2026-03-01T10:15[:30]" (taken as UTC), the same with a space for
     * the "T" ("2026-03-01 10:15[:30]", as Stripe exports write it) or Unix epoch seconds (9 or 10 digits).
     */
    public static Instant instant(String text) {
        String t = text.trim();
        int n = t.length();
        if (n == 10 && t.charAt(4) == '-' && t.charAt(7) == '-') {
            return Instant.ofEpochSecond(date(t).toEpochDay() * 86_400L);
        }
        if (n == 20 && t.charAt(10) == 'T' && t.charAt(19) == 'Z') {
            // fast path for the canonical form written by this project
            int y = digits(t, 0, 4), mo = digits(t, 5, 7), d = digits(t, 8, 10);
            int h = digits(t, 11, 13), mi = digits(t, 14, 16), s = digits(t, 17, 19);
            if (y >= 0 && mo >= 1 && mo <= 12 && d >= 1 && h >= 0 && h < 24 && mi >= 0 && mi < 60 && s >= 0 && s < 60
                    && t.charAt(4) == '-' && t.charAt(7) == '-' && t.charAt(13) == ':' && t.charAt(16) == ':') {
                try {
                    return Instant.ofEpochSecond(LocalDate.of(y, mo, d).toEpochDay() * 86_400L + h * 3600L + mi * 60L + s);
                } catch (java.time.DateTimeException e) {
                    throw new IllegalArgumentException("not a valid date/time: '" + text + "'");
                }
            }
        }
        if ((n == 9 || n == 10) && allDigits(t)) {
            // Unix epoch seconds as Stripe's API writes them; 8-digit numbers like 20260301 are not taken as
            // seconds (they would land in 1970 without a word).
            return Instant.ofEpochSecond(Long.parseLong(t));
        }
        try {
            if (n >= 16 && t.charAt(10) == ' ') {
                // "2026-03-01 10:15[:30][+01:00]" as Stripe's dashboard exports and SQL tools write it
                t = t.substring(0, 10) + 'T' + t.substring(11);
            }
            if (n >= 16 && t.charAt(10) == 'T') {
                if (t.endsWith("Z") || t.indexOf('+', 10) > 0 || t.indexOf('-', 10) > 0) {
                    return OffsetDateTime.parse(t).toInstant();
                }
                return LocalDateTime.parse(t).toInstant(ZoneOffset.UTC);
            }
        } catch (DateTimeParseException e) {
            // fall through to the common message
        }
        throw new IllegalArgumentException("not a valid date/time: '" + text
                + "' (expected 2026-03-01, 2026-03-01T10:15:30Z, 2026-03-01 10:15 or Unix seconds)");
    }

    public static LocalDate date(String text) {
        String t = text.trim();
        if (t.length() >= 10 && t.charAt(4) == '-' && t.charAt(7) == '-') {
            int y = digits(t, 0, 4), m = digits(t, 5, 7), d = digits(t, 8, 10);
            if (t.length() == 10 && y >= 0 && m >= 0 && d >= 0) {
                try {
                    return LocalDate.of(y, m, d);
                } catch (java.time.DateTimeException e) {
                    throw new IllegalArgumentException("not a valid date: '" + text + "'");
                }
            }
            if (t.length() > 10) return instant(t).atOffset(ZoneOffset.UTC).toLocalDate();
        }
        throw new IllegalArgumentException("not a valid date: '" + text + "' (expected 2026-03-01)");
    }

    public static boolean bool(String text) {
        return switch (text.trim().toLowerCase(Locale.ROOT)) {
            case "true", "t", "yes", "y", "1" -> true;
            case "false", "f", "no", "n", "0" -> false;
            default -> throw new IllegalArgumentException("not a boolean: '" + text + "' (true or false)");
        };
    }

    public static long integer(String text) {
        String t = text.trim();
        try {
            return Long.parseLong(t);
        } catch (NumberFormatException e) {
            // "3.0" from a spreadsheet is still a whole number
            if (t.endsWith(".0")) return integer(t.substring(0, t.length() - 2));
            throw new IllegalArgumentException("not a whole number: '" + text + "'");
        }
    }

    private static boolean allDigits(String t) {
        for (int i = 0; i < t.length(); i++) {
            char c = t.charAt(i);
            if (c < '0' || c > '9') return false;
        }
        return true;
    }

    private static int digits(String t, int from, int to) {
        int v = 0;
        for (int i = from; i < to; i++) {
            char c = t.charAt(i);
            if (c < '0' || c > '9') return -1;
            v = v * 10 + (c - '0');
        }
        return v;
    }
}
