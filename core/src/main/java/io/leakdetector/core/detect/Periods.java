package io.leakdetector.core.detect;

import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.temporal.ChronoUnit;

/** UTC calendar arithmetic shared by detectors: a period is named by the UTC month it starts in (DESIGN.md §5). */
final class Periods {
    private Periods() {}

    static YearMonth month(Instant t) {
        LocalDate d = day(t);
        return YearMonth.of(d.getYear(), d.getMonth());
    }

    static LocalDate day(Instant t) {
        return LocalDate.ofEpochDay(Math.floorDiv(t.getEpochSecond(), 86_400L));
    }

    static Instant start(YearMonth m) {
        return startOf(m.atDay(1));
    }

    static Instant end(YearMonth m) {
        return start(m.plusMonths(1));
    }

    static Instant startOf(LocalDate d) {
        return Instant.ofEpochSecond(d.toEpochDay() * 86_400L);
    }

    /** {@code t} plus whole months, keeping the time of day and clamping the day to the month's length. */
    static Instant plusMonths(Instant t, long months) {
        // the UTC day moved by whole months, the time of day kept: what LocalDateTime in UTC does, without building one
        long seconds = t.getEpochSecond();
        LocalDate day = LocalDate.ofEpochDay(Math.floorDiv(seconds, 86_400L)).plusMonths(months);
        return Instant.ofEpochSecond(day.toEpochDay() * 86_400L + Math.floorMod(seconds, 86_400L), t.getNano());
    }

    static Instant plusDays(Instant t, long days) {
        // what t.plus(days, ChronoUnit.DAYS) does for an Instant, without the dispatch on the unit
        return t.plusSeconds(Math.multiplyExact(days, 86_400L));
    }

    static long daysBetween(Instant a, Instant b) {
        return ChronoUnit.DAYS.between(a, b);
    }

    /** "subscription:sub_1@2026-03". */
    static String subjectAt(String kind, String id, YearMonth m) {
        return kind + ":" + id + "@" + m;
    }
}
