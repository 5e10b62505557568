package io.leakdetector.app.dashboard;

import io.leakdetector.app.api.SummaryController;
import io.leakdetector.core.money.Currencies;
import io.leakdetector.core.money.Money;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.springframework.stereotype.Component;

/** Formatting for the pages ({@code ${@fmt.money(m)}}): money per currency through core's {@link Money}, times in UTC. */
@Component("fmt")
public class Fmt {
    private static final DateTimeFormatter DAY_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'", Locale.ROOT).withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy-MM-dd", Locale.ROOT).withZone(ZoneOffset.UTC);

    /** "USD 1,234.50", "JPY 4,900", "KWD 1.250". */
    public String money(Money m) {
        return m == null ? "" : m.format();
    }

    /** A decimal amount as the API gives it, formatted in its currency. */
    public String amount(String currency, String decimal) {
        if (currency == null || decimal == null) return "";
        return Money.parse(decimal, Currencies.of(currency)).format();
    }

    /** Per-currency amounts of the summary, one per currency, never added: "USD 1,200.00 · EUR 80.00", zero amounts left out (all zero: "—"). */
    public String amounts(List<SummaryController.Amount> list) {
        if (list == null) return "—";
        String s = list.stream().filter(a -> Money.parse(a.amount(), Currencies.of(a.currency())).minor() != 0)
                .map(a -> amount(a.currency(), a.amount())).collect(Collectors.joining(" · "));
        return s.isEmpty() ? "—" : s;
    }

    /** Minor units per currency code, each formatted in its currency, never added: "USD 49.00 · JPY 4,900" (none: "—"). */
    public String minorAmounts(java.util.Map<String, Long> byCurrency) {
        if (byCurrency == null) return "—";
        String s = byCurrency.entrySet().stream().filter(e -> e.getValue() != 0)
                .map(e -> Money.ofMinor(e.getValue(), e.getKey()).format()).collect(Collectors.joining(" · "));
        return s.isEmpty() ? "—" : s;
    }

    public String time(Instant t) {
        return t == null ? "" : DAY_TIME.format(t);
    }

    public String day(Instant t) {
        return t == null ? "" : DAY.format(t);
    }

    public String percent(Double p) {
        return p == null ? "—" : String.format(Locale.ROOT, "%.1f %%", p);
    }

    public String score(double s) {
        return String.format(Locale.ROOT, "%.2f", s);
    }

    /** "PRICE_MISMATCH" → "Price mismatch"; "in_remediation" → "In remediation". */
    public String words(String code) {
        if (code == null || code.isEmpty()) return "";
        String s = code.replace('_', ' ').toLowerCase(Locale.ROOT);
        return Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }
}
