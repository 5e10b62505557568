package io.leakdetector.core.detect;

import io.leakdetector.core.domain.Invoice;
import io.leakdetector.core.domain.InvoiceLine;
import io.leakdetector.core.domain.UsageRecord;
import java.time.Instant;
import java.time.YearMonth;
import java.util.Currency;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * A customer's billed revenue per calendar month (each line spread over its service period by days, before tax)
 * and usage per month and metric: the two sides of USAGE_REVENUE_GAP and of the segment norms. Only the revenue of
 * the subscriptions the usage is recorded against counts (a seat plan next to a small usage plan must not make the
 * usage look lucrative); usage recorded without a subscription is set against all of the customer's revenue.
 */
final class MonthlyRevenue {
    final Currency currency;
    final Map<YearMonth, Long> revenueMinor = new TreeMap<>();
    final Map<YearMonth, Map<String, Long>> usage = new TreeMap<>();

    MonthlyRevenue(CustomerHistory h, Currency currency, Instant asOf) {
        this.currency = currency;
        java.util.Set<String> usageSubs = new java.util.HashSet<>();
        boolean unattributed = false;
        for (UsageRecord u : h.usage()) {
            if (u.subscriptionId() == null) unattributed = true;
            else usageSubs.add(u.subscriptionId());
        }
        for (Invoice inv : h.invoices()) {
            if (Billing.isVoid(inv) || !inv.currency().equals(currency) || inv.createdAt().isAfter(asOf)) continue;
            if (!unattributed && (inv.subscriptionId() == null || !usageSubs.contains(inv.subscriptionId()))) continue;
            var lines = h.lines(inv.id());
            if (lines.isEmpty()) {
                spread(Billing.periodStart(inv), inv.periodEnd(), inv.subtotal().minor() - inv.discount().minor());
                continue;
            }
            for (InvoiceLine l : lines) {
                Instant s = l.periodStart() != null ? l.periodStart() : Billing.periodStart(inv);
                Instant e = l.periodStart() != null ? l.periodEnd() : inv.periodEnd();
                spread(s, e, l.amount().minor());
            }
            if (inv.discount().isPositive() && !hasDiscountLine(lines)) {
                spread(Billing.periodStart(inv), inv.periodEnd(), -inv.discount().minor());
            }
        }
        for (UsageRecord u : h.usage()) {
            if (u.periodStart().isAfter(asOf)) continue;
            usage.computeIfAbsent(Periods.month(u.periodStart()), k -> new HashMap<>()).merge(u.metric(), u.quantity(), Long::sum);
        }
    }

    private static boolean hasDiscountLine(java.util.List<InvoiceLine> lines) {
        for (InvoiceLine l : lines) if (l.kind() == io.leakdetector.core.domain.LineKind.DISCOUNT) return true;
        return false;
    }

    private void spread(Instant s, Instant e, long minor) {
        if (e == null || !e.isAfter(s)) {
            revenueMinor.merge(Periods.month(s), minor, Long::sum);
            return;
        }
        long total = e.getEpochSecond() - s.getEpochSecond();
        YearMonth m = Periods.month(s);
        long assigned = 0;
        while (true) {
            Instant ms = Periods.start(m), me = Periods.end(m);
            Instant a = s.isAfter(ms) ? s : ms, b = e.isBefore(me) ? e : me;
            if (!b.isAfter(a) && !me.isBefore(e)) break;
            if (!me.isBefore(e)) { // last month takes the rest, so the parts add up exactly
                revenueMinor.merge(m, minor - assigned, Long::sum);
                break;
            }
            long part = Math.round((double) minor * (b.getEpochSecond() - a.getEpochSecond()) / total);
            revenueMinor.merge(m, part, Long::sum);
            assigned += part;
            m = m.plusMonths(1);
        }
    }

    long revenue(YearMonth m) {
        Long r = revenueMinor.get(m);
        return r == null ? 0 : r;
    }
}
