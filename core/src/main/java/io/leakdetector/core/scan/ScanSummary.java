package io.leakdetector.core.scan;

import io.leakdetector.core.finding.Category;
import io.leakdetector.core.finding.Finding;
import io.leakdetector.core.finding.Kind;
import io.leakdetector.core.money.Money;
import io.leakdetector.core.util.Json;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Currency;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a scan found, in the terms of DESIGN.md §5: MRR leaked and one-time leaked (open LEAK findings, per
 * currency, never added together), and counts and amounts per category and currency, plus the input counts.
 */
public final class ScanSummary {
    /** Amounts of one category or kind in one currency. */
    public static final class Totals {
        long count;
        long oneTimeMinor;
        long monthlyMinor;

        public long count() {
            return count;
        }
    }

    private final Instant asOf;
    private final long customers;
    private final long rowsRead;
    private final long rowsRejected;
    private final Map<String, Long> rejectedByFile;
    private final Map<Category, Map<Currency, Totals>> byCategory = new EnumMap<>(Category.class);
    private final Map<Currency, Totals> leaks = new TreeMap<>(java.util.Comparator.comparing(Currency::getCurrencyCode));
    private final Map<Kind, Long> byKind = new EnumMap<>(Kind.class);
    private long findings;

    public ScanSummary(Instant asOf, long customers, long rowsRead, long rowsRejected, Map<String, Long> rejectedByFile) {
        this.asOf = asOf;
        this.customers = customers;
        this.rowsRead = rowsRead;
        this.rowsRejected = rowsRejected;
        this.rejectedByFile = new LinkedHashMap<>(rejectedByFile);
    }

    public void add(Finding f) {
        findings++;
        byKind.merge(f.kind(), 1L, Long::sum);
        Totals t = byCategory.computeIfAbsent(f.category(), k -> new TreeMap<>(java.util.Comparator.comparing(Currency::getCurrencyCode)))
                .computeIfAbsent(f.currency(), k -> new Totals());
        t.count++;
        t.oneTimeMinor += f.amountOneTime().minor();
        t.monthlyMinor += f.amountMonthlyRecurring().minor();
        if (f.kind() == Kind.LEAK) {
            Totals l = leaks.computeIfAbsent(f.currency(), k -> new Totals());
            l.count++;
            l.oneTimeMinor += f.amountOneTime().minor();
            l.monthlyMinor += f.amountMonthlyRecurring().minor();
        }
    }

    public long findings() {
        return findings;
    }

    public long count(Category c) {
        Map<Currency, Totals> m = byCategory.get(c);
        return m == null ? 0 : m.values().stream().mapToLong(Totals::count).sum();
    }

    /** MRR leaked in one currency (sum of monthly recurring amounts of LEAK findings). */
    public Money mrrLeaked(Currency c) {
        Totals t = leaks.get(c);
        return new Money(t == null ? 0 : t.monthlyMinor, c);
    }

    public Money oneTimeLeaked(Currency c) {
        Totals t = leaks.get(c);
        return new Money(t == null ? 0 : t.oneTimeMinor, c);
    }

    /** The summary as one JSON object (the {@code --json} output of scan). */
    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("as_of", asOf.toString());
        m.put("customers", customers);
        m.put("rows_read", rowsRead);
        m.put("rows_rejected", rowsRejected);
        m.put("rejected_by_file", rejectedByFile);
        m.put("findings", findings);
        Map<String, Object> kinds = new LinkedHashMap<>();
        byKind.forEach((k, v) -> kinds.put(k.wire(), v));
        m.put("findings_by_kind", kinds);
        List<Object> leaked = new ArrayList<>();
        leaks.forEach((c, t) -> {
            Map<String, Object> x = new LinkedHashMap<>();
            x.put("currency", c.getCurrencyCode());
            x.put("mrr_leaked", new Money(t.monthlyMinor, c).toBigDecimal());
            x.put("one_time_leaked", new Money(t.oneTimeMinor, c).toBigDecimal());
            x.put("leak_findings", t.count);
            leaked.add(x);
        });
        m.put("leaked", leaked);
        List<Object> cats = new ArrayList<>();
        byCategory.forEach((cat, perCur) -> perCur.forEach((c, t) -> {
            Map<String, Object> x = new LinkedHashMap<>();
            x.put("category", cat.name());
            x.put("currency", c.getCurrencyCode());
            x.put("count", t.count);
            x.put("amount_one_time", new Money(t.oneTimeMinor, c).toBigDecimal());
            x.put("amount_monthly_recurring", new Money(t.monthlyMinor, c).toBigDecimal());
            cats.add(x);
        }));
        m.put("by_category", cats);
        return m;
    }

    public String toJsonString() {
        return Json.write(toJson());
    }

    /** A short human report. */
    public String toText() {
        StringBuilder sb = new StringBuilder();
        sb.append("as of ").append(asOf).append(": ").append(customers).append(" customers, ").append(rowsRead)
                .append(" rows read, ").append(rowsRejected).append(" rejected");
        if (rowsRejected > 0) sb.append(" ").append(rejectedByFile);
        sb.append('\n').append(findings).append(" findings");
        if (!byKind.isEmpty()) {
            sb.append(" (");
            List<String> parts = new ArrayList<>();
            byKind.forEach((k, v) -> parts.add(v + " " + k.wire()));
            sb.append(String.join(", ", parts)).append(')');
        }
        sb.append('\n');
        leaks.forEach((c, t) -> sb.append("  leaked ").append(c.getCurrencyCode()).append(": MRR ")
                .append(new Money(t.monthlyMinor, c).format()).append(" a month, one-time ")
                .append(new Money(t.oneTimeMinor, c).format()).append('\n'));
        sb.append(String.format("  %-24s %-4s %8s %18s %18s%n", "category", "cur", "count", "one-time", "monthly"));
        byCategory.forEach((cat, perCur) -> perCur.forEach((c, t) -> sb.append(String.format("  %-24s %-4s %8d %18s %18s%n",
                cat.name(), c.getCurrencyCode(), t.count, new Money(t.oneTimeMinor, c).toPlainString(),
                new Money(t.monthlyMinor, c).toPlainString()))));
        return sb.toString();
    }
}
