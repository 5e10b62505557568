package io.leakdetector.core.detect;

import io.leakdetector.core.finding.Category;
import io.leakdetector.core.finding.Evidence;
import io.leakdetector.core.finding.Kind;
import io.leakdetector.core.ingest.EntityKind;
import io.leakdetector.core.money.Money;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Currency;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * USAGE_REVENUE_GAP: in a closed calendar month, the revenue billed to a customer is far below what the segment
 * normally earns for the same usage: revenue &lt; {@code maxRevenueShare} × usage × the segment's median revenue per
 * unit. Subject {@code customer:<id>@<YYYY-MM>}; amount: expected − actual, one-time. The engine drops it when a
 * precise rule (unbilled usage, missed invoice, …) already explains that customer-month.
 */
public final class UsageRevenueGapDetector implements Detector {
    private static final Set<EntityKind> READS = Set.copyOf(EnumSet.of(EntityKind.CUSTOMERS, EntityKind.INVOICES, EntityKind.INVOICE_LINES, EntityKind.USAGE));
    /**
     * @param maxRevenueShare revenue below this share of the norm is a gap (default 0.25: plan tiers legitimately differ by
     *     about 2× in revenue per unit, so "far below" means under a quarter)
     * @param minSamples a norm needs at least this many customer-months (default 30)
     * @param minGapShareOfNorm gaps smaller than this share of the expected revenue are ignored (default 0.5)
     * @param arrearsMonths months before the as-of month that may not be invoiced yet (default 1)
     */
    public record Config(double maxRevenueShare, int minSamples, double minGapShareOfNorm, int arrearsMonths) {
        public static final Config DEFAULTS = new Config(0.25, 30, 0.5, 1);
    }

    private final Config config;

    public UsageRevenueGapDetector(Config config) {
        this.config = config;
    }

    public UsageRevenueGapDetector() {
        this(Config.DEFAULTS);
    }

    @Override
    public Set<EntityKind> reads() {
        return READS;
    }

    @Override
    public Category category() {
        return Category.USAGE_REVENUE_GAP;
    }

    @Override
    public List<Detection> detect(CustomerHistory h, DetectionContext ctx) {
        if (h.usage().isEmpty() || ctx.norms().all().isEmpty()) return List.of();
        Currency cur = SegmentNorms.currency(h);
        if (cur == null) return List.of();
        String segment = h.customer() == null ? null : h.customer().segment();
        MonthlyRevenue mr = new MonthlyRevenue(h, cur, ctx.asOf());
        YearMonth firstUnjudged = Billing.firstUnjudgedUsageMonth(h.invoices(), Periods.month(ctx.asOf()), config.arrearsMonths(), ctx.asOf());
        List<Detection> out = new ArrayList<>();
        for (var e : mr.usage.entrySet()) {
            YearMonth m = e.getKey();
            if (!m.isBefore(firstUnjudged) || e.getValue().size() != 1 || !ctx.inData(Periods.start(m))) continue;
            Map.Entry<String, Long> u = e.getValue().entrySet().iterator().next();
            SegmentNorms.Norm norm = ctx.norms().norm(segment, u.getKey(), cur);
            if (norm == null || norm.samples() < config.minSamples() || u.getValue() <= 0) continue;
            long expected = norm.minorPerUnit().multiply(BigDecimal.valueOf(u.getValue())).setScale(0, RoundingMode.HALF_EVEN).longValueExact();
            long actual = mr.revenue(m);
            if (expected <= 0 || actual >= config.maxRevenueShare() * expected) continue;
            long gap = expected - actual;
            if (gap < config.minGapShareOfNorm() * expected) continue;
            Money exp = new Money(expected, cur), act = new Money(actual, cur), gapM = new Money(gap, cur);
            Money rate = new Money(norm.minorPerUnit().setScale(0, RoundingMode.HALF_EVEN).longValue(), cur);
            String seg = segment == null ? "all customers" : "segment " + segment;
            List<String> src = new ArrayList<>();
            for (var rec : h.usage()) if (Periods.month(rec.periodStart()).equals(m) && src.size() < 8) src.add(rec.source());
            List<Evidence> ev = List.of(new Evidence("revenue in line with the segment's revenue per unit of usage",
                    exp.format() + " (" + u.getValue() + " " + u.getKey() + " × " + norm.minorPerUnit().setScale(4, RoundingMode.HALF_EVEN).toPlainString()
                            + " minor units, the median of " + norm.samples() + " customer-months in " + seg + ")",
                    act.format() + " billed for " + m, src));
            String expl = "Customer " + h.customerId() + " used " + u.getValue() + " " + u.getKey() + " in " + m + "; " + seg
                    + " normally bills about " + exp.format() + " for that (" + rate.format() + " per unit, rounded) but only "
                    + act.format() + " was billed → " + gapM.format() + " below the norm.";
            double share = actual / (double) expected;
            out.add(new Detection(Category.USAGE_REVENUE_GAP, Kind.LEAK, "revenue_below_segment_norm",
                    Periods.subjectAt("customer", h.customerId(), m), h.customerId(), gapM, Money.zero(cur), ev, expl,
                    "Review the plan and the invoices of customer " + h.customerId() + " for " + m
                            + ": check that its usage is rated and billed, and that the plan fits the usage.",
                    List.of(Signals.certainty(0.6, "a statistical norm, not a contract"),
                            Signals.margin(Signals.relative(config.maxRevenueShare() - share), Math.round(share * 100) + " % of the norm billed"),
                            Signals.persistence(0.6, "one closed month"))));
        }
        return out;
    }
}
