package io.leakdetector.core.detect;

import io.leakdetector.core.domain.Invoice;
import java.math.BigDecimal;
import java.math.MathContext;
import java.time.Instant;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Currency;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Revenue per unit of usage that is normal in a segment: the median over the segment's customer-months of billed
 * revenue ÷ usage, per (segment, metric, currency). Computed once per scan from every customer, read by
 * USAGE_REVENUE_GAP. A norm from fewer than {@code minSamples} customer-months is not used.
 */
public final class SegmentNorms {
    public static final SegmentNorms EMPTY = new SegmentNorms(Map.of());

    /** The median revenue per unit (minor units of the currency) and how many customer-months it rests on. */
    public record Norm(BigDecimal minorPerUnit, int samples) {}

    private final Map<String, Norm> norms;

    public SegmentNorms(Map<String, Norm> norms) {
        this.norms = Map.copyOf(norms);
    }

    static String key(String segment, String metric, Currency currency) {
        return (segment == null ? "*" : segment) + "|" + metric + "|" + currency.getCurrencyCode();
    }

    public Norm norm(String segment, String metric, Currency currency) {
        return norms.get(key(segment, metric, currency));
    }

    public Map<String, Norm> all() {
        return norms;
    }

    /** Collects revenue per unit from every customer-month with both usage and revenue, before the as-of month. */
    public static final class Builder {
        private final Map<String, List<Double>> samples = new HashMap<>();
        private final Instant asOf;

        public Builder(Instant asOf) {
            this.asOf = asOf;
        }

        /** Adds one customer (thread-confined: use one builder per thread and {@link #merge}). */
        public void add(CustomerHistory h) {
            if (h.usage().isEmpty()) return;
            Currency cur = currency(h);
            if (cur == null) return;
            MonthlyRevenue mr = new MonthlyRevenue(h, cur, asOf);
            YearMonth asOfMonth = Periods.month(asOf);
            String segment = h.customer() == null ? null : h.customer().segment();
            for (var e : mr.usage.entrySet()) {
                if (!e.getKey().isBefore(asOfMonth)) continue;
                long rev = mr.revenue(e.getKey());
                if (rev <= 0 || e.getValue().size() != 1) continue; // one metric per month keeps the rate unambiguous
                var u = e.getValue().entrySet().iterator().next();
                if (u.getValue() <= 0) continue;
                samples.computeIfAbsent(key(segment, u.getKey(), cur), k -> new ArrayList<>()).add(rev / (double) u.getValue());
            }
        }

        public Builder merge(Builder other) {
            other.samples.forEach((k, v) -> samples.computeIfAbsent(k, x -> new ArrayList<>()).addAll(v));
            return this;
        }

        public SegmentNorms build() {
            Map<String, Norm> out = new HashMap<>();
            for (var e : samples.entrySet()) {
                double[] a = e.getValue().stream().mapToDouble(Double::doubleValue).toArray();
                Arrays.sort(a);
                double median = a.length % 2 == 1 ? a[a.length / 2] : (a[a.length / 2 - 1] + a[a.length / 2]) / 2;
                out.put(e.getKey(), new Norm(new BigDecimal(median, MathContext.DECIMAL64), a.length));
            }
            return new SegmentNorms(out);
        }
    }

    static Currency currency(CustomerHistory h) {
        if (h.customer() != null) return h.customer().currency();
        for (Invoice i : h.invoices()) return i.currency();
        return null;
    }
}
