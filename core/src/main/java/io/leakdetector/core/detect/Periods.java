package io.leakdetector.core.detect;

import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;

/** UTC calendar arithmetic shared by detectors: a period is named by the UTC month it starts in (DESIGN.md §5). */
final class Periods {
    private Periods() {}

    static YearMonth month(Instant t) {
        return YearMonth.from(t.atOffset(ZoneOffset.UTC));
    }

    static LocalDate day(Instant t) {
        return t.atOffset(ZoneOffset.UTC).toLocalDate();
    }

    static Instant start(YearMonth m) {
        return m.atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant();
    }

    static Instant end(YearMonth m) {
        return start(m.plusMonths(1));
    }

    static Instant startOf(LocalDate d) {
        return d.atStartOfDay(ZoneOffset.UTC).toInstant();
    }

    /** {@code t} plus whole months, keeping the time of day and clamping the day to the month's length. */
    static Instant plusMonths(Instant t, long months) {
        return ZonedDateTime.ofInstant(t, ZoneOffset.UTC).plusMonths(months).toInstant();
    }

    static Instant plusDays(Instant t, long days) {
        return t.plus(days, ChronoUnit.DAYS);
    }

    static long daysBetween(Instant a, Instant b) {
        return ChronoUnit.DAYS.between(a, b);
    }

    /** "subscription:sub_1@2026-03". */
    static String subjectAt(String kind, String id, YearMonth m) {
        return kind + ":" + id + "@" + m;
    }
}
