package io.leakdetector.core.detect;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Periods' UTC arithmetic is written out for speed; it must give exactly what java.time gives. */
class PeriodsTest {

    @Test
    void plusMonthsIsLocalDateTimeInUtc() {
        SplittableRandom rnd = new SplittableRandom(7);
        Instant[] edges = {Instant.parse("2024-01-31T23:59:59Z"), Instant.parse("2024-02-29T00:00:00Z"),
                Instant.parse("2023-03-31T12:00:00.5Z"), Instant.parse("1969-12-31T23:59:59.999Z"), Instant.EPOCH};
        for (int i = 0; i < 20_000; i++) {
            Instant t = i < edges.length ? edges[i]
                    : Instant.ofEpochSecond(rnd.nextLong(-2_000_000_000L, 4_000_000_000L), rnd.nextInt(4) == 0 ? rnd.nextInt(1_000_000_000) : 0);
            long months = rnd.nextInt(-30, 31);
            LocalDateTime l = LocalDateTime.ofEpochSecond(t.getEpochSecond(), t.getNano(), ZoneOffset.UTC).plusMonths(months);
            assertThat(Periods.plusMonths(t, months)).as("%s + %d months", t, months)
                    .isEqualTo(Instant.ofEpochSecond(l.toEpochSecond(ZoneOffset.UTC), l.getNano()));
            long days = rnd.nextInt(-400, 401);
            assertThat(Periods.plusDays(t, days)).isEqualTo(t.plus(days, ChronoUnit.DAYS));
        }
    }
}
