package io.leakdetector.app.api;

import io.leakdetector.app.detect.FindingsSnapshot;
import io.leakdetector.core.finding.Kind;
import io.leakdetector.core.money.Currencies;
import io.leakdetector.core.money.Money;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Clock;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The executive numbers: MRR leaked and one-time leaked on open leak findings, leaks this week, recovered this
 * month, by category, by currency, and a weekly series. Every amount is per currency: amounts in different
 * currencies, and one-time with recurring amounts, are never added.
 */
@RestController
@Tag(name = "summary")
public class SummaryController {
    static final int WEEKS = 12;
    private final JdbcClient jdbc;
    private final Clock clock = Clock.systemUTC();

    SummaryController(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** An amount in one currency, as a decimal string. */
    public record Amount(String currency, String amount) {}

    /** A count with its one-time and monthly recurring amounts per currency. */
    public record Bucket(long count, List<Amount> one_time, List<Amount> monthly_recurring) {}

    public record Named(String name, Bucket totals) {}

    public record Week(LocalDate week_start, Bucket totals) {}

    public record Summary(Instant as_of, List<Amount> mrr_leaked, List<Amount> one_time_leaked, Bucket leaks_this_week,
                   Bucket recovered_this_month, List<Named> by_category, List<Named> by_currency, List<Week> weekly) {}

    @GetMapping("/api/v1/summary")
    @Operation(summary = "Leak totals: MRR leaked, one-time leaked, this week, recovered this month, by category and currency, weekly")
    public Summary summary() {
        return summary(FindingsSnapshot.read(jdbc));
    }

    /**
     * The summary of these findings (read at once, or kept by the overview under the data version) and of the
     * recoveries of this month (read now). The overview's cards come from here too, so both always agree.
     */
    public Summary summary(FindingsSnapshot s) {
        Instant now = clock.instant();
        LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
        LocalDate weekStart = today.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
        LocalDate monthStart = today.withDayOfMonth(1);
        LocalDate seriesStart = weekStart.minusWeeks(WEEKS - 1);

        Map<String, Acc> open = new TreeMap<>();
        Acc thisWeek = new Acc();
        Map<String, Acc> byCategory = new TreeMap<>();
        Map<LocalDate, Acc> weeks = new TreeMap<>();
        for (int i = 0; i < WEEKS; i++) weeks.put(seriesStart.plusWeeks(i), new Acc());
        long weekStartDay = weekStart.toEpochDay();
        long seriesStartDay = seriesStart.toEpochDay();
        for (int i = 0; i < s.size(); i++) {
            String currency = s.currencyCodes().get(s.currency(i));
            long oneTime = s.oneTime(i);
            long recurring = s.recurring(i);
            boolean leak = s.kind(i) == Kind.LEAK;
            if (s.open(i)) {
                if (leak) open.computeIfAbsent(currency, k -> new Acc()).add(currency, 1, oneTime, recurring);
                byCategory.computeIfAbsent(s.category(i).name(), k -> new Acc()).add(currency, 1, oneTime, recurring);
            }
            long day = s.detectedDay(i);
            if (leak && day >= weekStartDay) thisWeek.add(currency, 1, oneTime, recurring);
            if (leak && day >= seriesStartDay) {
                Acc a = weeks.get(LocalDate.ofEpochDay(day).with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY)));
                if (a != null) a.add(currency, 1, oneTime, recurring);
            }
        }
        // Money that arrived this month (recoveries, by arrival date): one_time = the amount recovered, monthly_recurring =
        // the MRR of the recovered findings (the leak that stopped).
        Acc recovered = new Acc();
        jdbc.sql("SELECT r.currency, COUNT(*), SUM(r.amount_minor), SUM(f.amount_recurring_minor) FROM recoveries r "
                        + "JOIN findings f ON f.id = r.finding_id WHERE r.recovered_at >= ? GROUP BY r.currency")
                .param(odt(monthStart))
                .query(rs -> {
                    recovered.add(rs.getString(1).strip(), rs.getLong(2), rs.getLong(3), rs.getLong(4));
                });

        List<Amount> mrr = new ArrayList<>();
        List<Amount> oneTime = new ArrayList<>();
        List<Named> byCurrency = new ArrayList<>();
        for (var e : open.entrySet()) {
            Acc a = e.getValue();
            mrr.addAll(a.bucket().monthly_recurring());
            oneTime.addAll(a.bucket().one_time());
            byCurrency.add(new Named(e.getKey(), a.bucket()));
        }
        List<Named> cats = new ArrayList<>();
        for (var e : byCategory.entrySet()) cats.add(new Named(e.getKey(), e.getValue().bucket()));
        List<Week> series = new ArrayList<>();
        for (var e : weeks.entrySet()) series.add(new Week(e.getKey(), e.getValue().bucket()));
        return new Summary(now, mrr, oneTime, thisWeek.bucket(), recovered.bucket(), cats, byCurrency, series);
    }

    private static OffsetDateTime odt(LocalDate d) {
        return d.atStartOfDay().atOffset(ZoneOffset.UTC);
    }

    /** Sums per currency in minor units. */
    private static final class Acc {
        long count;
        final Map<String, long[]> perCurrency = new TreeMap<>();

        void add(String currency, long n, long oneTime, long recurring) {
            count += n;
            long[] v = perCurrency.computeIfAbsent(currency, c -> new long[2]);
            v[0] = Math.addExact(v[0], oneTime);
            v[1] = Math.addExact(v[1], recurring);
        }

        Bucket bucket() {
            List<Amount> one = new ArrayList<>();
            List<Amount> rec = new ArrayList<>();
            for (var e : perCurrency.entrySet()) {
                var cur = Currencies.of(e.getKey());
                one.add(new Amount(e.getKey(), new Money(e.getValue()[0], cur).toPlainString()));
                rec.add(new Amount(e.getKey(), new Money(e.getValue()[1], cur).toPlainString()));
            }
            return new Bucket(count, one, rec);
        }
    }
}
