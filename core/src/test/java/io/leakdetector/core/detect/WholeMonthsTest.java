package io.leakdetector.core.detect;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** {@link Billing#wholeMonths} decides with one month step; it must answer as stepping month by month does. */
class WholeMonthsTest {
    /** The definition: the k (1..12) for which s plus k months is e, stepping k up until past e. */
    private static int byStepping(Instant s, Instant e) {
        if (s == null || e == null || !e.isAfter(s)) return 0;
        for (int k = 1; k <= 12; k++) {
            Instant x = Periods.plusMonths(s, k);
            if (x.equals(e)) return k;
            if (x.isAfter(e)) return 0;
        }
        return 0;
    }

    @Test
    void answersAsSteppingMonthByMonthDoes() {
        Random r = new Random(42);
        int matches = 0;
        for (int i = 0; i < 200_000; i++) {
            // days around month ends and leap days, whole days or odd times, sometimes with nanos
            long day = 18_000 + r.nextInt(3_000);
            long time = r.nextInt(4) == 0 ? r.nextInt(86_400) : 0;
            Instant s = Instant.ofEpochSecond(day * 86_400L + time, r.nextInt(8) == 0 ? r.nextInt(1000) : 0);
            Instant e = switch (r.nextInt(4)) {
                case 0 -> Periods.plusMonths(s, r.nextInt(15) - 1); // a whole number of months (or not after s)
                case 1 -> Periods.plusMonths(s, 1 + r.nextInt(12)).plusSeconds(r.nextInt(3) - 1);
                case 2 -> Periods.plusDays(Periods.plusMonths(s, 1 + r.nextInt(12)), r.nextInt(5) - 2);
                default -> Instant.ofEpochSecond(s.getEpochSecond() + r.nextInt(400 * 86_400), s.getNano());
            };
            int expected = byStepping(s, e);
            assertThat(Billing.wholeMonths(s, e)).as("%s .. %s", s, e).isEqualTo(expected);
            if (expected > 0) matches++;
        }
        assertThat(matches).isGreaterThan(50_000);
        assertThat(Billing.wholeMonths(null, Instant.EPOCH)).isZero();
        assertThat(Billing.wholeMonths(Instant.EPOCH, null)).isZero();
        // month ends clamp: Jan 31 + 1 month is Feb 29 in a leap year, + 2 months Mar 31
        Instant jan31 = Instant.parse("2024-01-31T10:00:00Z");
        assertThat(Billing.wholeMonths(jan31, Instant.parse("2024-02-29T10:00:00Z"))).isEqualTo(1);
        assertThat(Billing.wholeMonths(jan31, Instant.parse("2024-03-31T10:00:00Z"))).isEqualTo(2);
        assertThat(Billing.wholeMonths(jan31, Instant.parse("2024-03-29T10:00:00Z"))).isZero();
        assertThat(Billing.wholeMonths(jan31, Instant.parse("2025-01-31T10:00:00Z"))).isEqualTo(12);
        assertThat(Billing.wholeMonths(jan31, Instant.parse("2025-02-28T10:00:00Z"))).isZero();
    }
}
