package io.leakdetector.app.remediation;

import io.leakdetector.core.money.Currencies;
import io.leakdetector.core.money.Money;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Revenue recovered per month (UTC calendar month of the money's arrival), per currency. */
@RestController
@Tag(name = "summary")
class RecoveryController {
    private final JdbcClient jdbc;

    RecoveryController(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    record Amount(String currency, String amount) {}

    record Month(String month, long count, List<Amount> recovered) {}

    record Series(List<Month> months) {}

    @GetMapping("/api/v1/summary/recovered")
    @Operation(summary = "Revenue recovered per month, per currency (the last N months, this one included)")
    Series monthly(@Parameter(description = "months, 1-60 (default 12)") @RequestParam(required = false) Integer months) {
        int n = months == null ? 12 : months;
        if (n < 1 || n > 60) throw io.leakdetector.app.web.ApiException.badField("months", "months must be between 1 and 60");
        YearMonth now = YearMonth.now(ZoneOffset.UTC);
        YearMonth first = now.minusMonths(n - 1L);
        Map<YearMonth, long[]> counts = new TreeMap<>();
        Map<YearMonth, Map<String, Long>> sums = new TreeMap<>();
        for (int i = 0; i < n; i++) {
            counts.put(first.plusMonths(i), new long[1]);
            sums.put(first.plusMonths(i), new TreeMap<>());
        }
        jdbc.sql("SELECT recovered_at, currency, amount_minor FROM recoveries WHERE recovered_at >= ?")
                .param(first.atDay(1).atStartOfDay().atOffset(ZoneOffset.UTC))
                .query(rs -> {
                    YearMonth m = YearMonth.from(rs.getObject(1, OffsetDateTime.class).withOffsetSameInstant(ZoneOffset.UTC));
                    if (!counts.containsKey(m)) return;
                    counts.get(m)[0]++;
                    sums.get(m).merge(rs.getString(2).strip(), rs.getLong(3), Math::addExact);
                });
        List<Month> out = new ArrayList<>();
        for (var e : sums.entrySet()) {
            List<Amount> amounts = new ArrayList<>();
            for (var c : e.getValue().entrySet()) amounts.add(new Amount(c.getKey(), new Money(c.getValue(), Currencies.of(c.getKey())).toPlainString()));
            out.add(new Month(e.getKey().toString(), counts.get(e.getKey())[0], amounts));
        }
        return new Series(out);
    }
}
