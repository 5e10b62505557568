package io.leakdetector.core.detect;

import io.leakdetector.core.domain.CreditNote;
import io.leakdetector.core.domain.Invoice;
import io.leakdetector.core.domain.InvoiceLine;
import io.leakdetector.core.domain.InvoiceStatus;
import io.leakdetector.core.domain.LineKind;
import io.leakdetector.core.domain.Payment;
import io.leakdetector.core.domain.PaymentStatus;
import io.leakdetector.core.domain.Price;
import io.leakdetector.core.domain.PricingScheme;
import io.leakdetector.core.domain.Subscription;
import io.leakdetector.core.money.Money;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;

/** Billing facts several detectors need, computed one way only. */
final class Billing {
    private static final BigDecimal HUNDRED = BigDecimal.valueOf(100);

    private Billing() {}

    /** True when the subscription's percentage discount applies to an invoice created at {@code t} (§5: before its end). */
    static boolean discountValidAt(Subscription s, Instant t) {
        return hasDiscount(s) && (s.discountEnd() == null || t.isBefore(s.discountEnd()));
    }

    static boolean hasDiscount(Subscription s) {
        return s.discountPercent() != null && s.discountPercent().signum() > 0;
    }

    /** {@code amount} × (1 − percent/100), half-even to the minor unit. */
    static Money afterDiscount(Money amount, BigDecimal percent) {
        if (percent == null || percent.signum() == 0) return amount;
        return amount.times(BigDecimal.ONE.subtract(percent.divide(HUNDRED, 10, RoundingMode.HALF_EVEN)));
    }

    static Money percentOf(Money amount, BigDecimal percent) {
        return amount.times(percent.divide(HUNDRED, 10, RoundingMode.HALF_EVEN));
    }

    /**
     * The contracted unit amount at {@code t}: the negotiated amount while the subscription is on the price it was
     * negotiated for, else the unit amount of the price version in force (a retired version stays valid for it).
     */
    static Money contractedUnit(SubscriptionTimeline tl, Price price, Instant t) {
        Subscription s = tl.subscription();
        if (s.negotiatedUnitAmount() != null && samePlan(price, s.priceId(), tl.prices)
                && s.negotiatedUnitAmount().currency().equals(price.unitAmount().currency())) {
            return s.negotiatedUnitAmount();
        }
        return price.unitAmount();
    }

    /** A negotiated amount is agreed for a plan: it holds for every version of the subscription's current plan. */
    private static boolean samePlan(Price price, String currentPriceId, io.leakdetector.core.detect.PriceBook prices) {
        if (price.id().equals(currentPriceId)) return true;
        Price current = prices == null ? null : prices.price(currentPriceId);
        return current != null && current.planId().equals(price.planId());
    }

    /**
     * The price version a subscription was on at {@code t}. The subscription row holds today's version; a version
     * that did not exist yet at {@code t} cannot have applied then, so the plan's version on the price book at
     * {@code t} stands in for it (the subscription was moved at a later renewal).
     */
    static Price versionAt(SubscriptionTimeline tl, io.leakdetector.core.detect.PriceBook prices, Instant t) {
        Price p = prices.price(tl.priceIdAt(t));
        if (p == null || !p.validFrom().isAfter(t)) return p;
        Price then = prices.listPriceAt(p.planId(), t);
        if (then != null) return then;
        for (Price v : prices.versions(p.planId())) if (!v.validFrom().isAfter(t)) then = v; // newest that existed
        return then != null ? then : p;
    }

    /**
     * The version an invoice line may legitimately charge at {@code t}: the line's own version when it belongs to
     * the subscription's plan and was on the price book at {@code t} or retired less than one interval before it
     * (§5: a retired version stays valid until the next renewal); otherwise the subscription's version.
     */
    static Price expectedVersion(SubscriptionTimeline tl, io.leakdetector.core.detect.PriceBook prices, Price linePrice, Instant t) {
        Price sub = versionAt(tl, prices, t);
        if (sub == null || linePrice == null || linePrice == sub || !linePrice.planId().equals(sub.planId())) return sub;
        boolean existed = !linePrice.validFrom().isAfter(t);
        boolean stillValid = linePrice.validTo() == null
                || t.isBefore(Periods.plusMonths(linePrice.validTo(), linePrice.interval().months()));
        return existed && stillValid ? linePrice : sub;
    }

    /** Units the base fee is multiplied by: seats for per-seat prices, 1 otherwise. */
    static long billedUnits(Price price, long quantity) {
        return price.scheme() == PricingScheme.PER_SEAT ? quantity : 1;
    }

    /** One interval's recurring charge in money per month (annual prices divided by 12). */
    static Money monthly(Money perInterval, Price price) {
        int months = price.interval().months();
        return months == 1 ? perInterval : perInterval.dividedBy(months);
    }

    /** k when [s, e) is exactly k whole months (1 ≤ k ≤ 12, same day of month), else 0 (or when either is null). */
    static int wholeMonths(Instant s, Instant e) {
        if (s == null || e == null || !e.isAfter(s)) return 0;
        // s plus k months keeps s's time of day and lands in the k-th month after s's: only the k of e's month can
        // match, so one plusMonths (not one per k) decides; a different time of day matches none
        long ss = s.getEpochSecond(), es = e.getEpochSecond();
        if (s.getNano() != e.getNano() || Math.floorMod(ss, 86_400L) != Math.floorMod(es, 86_400L)) return 0;
        java.time.LocalDate sd = java.time.LocalDate.ofEpochDay(Math.floorDiv(ss, 86_400L));
        java.time.LocalDate ed = java.time.LocalDate.ofEpochDay(Math.floorDiv(es, 86_400L));
        long k = (ed.getYear() * 12L + ed.getMonthValue()) - (sd.getYear() * 12L + sd.getMonthValue());
        if (k < 1 || k > 12) return 0;
        return Periods.plusMonths(s, k).equals(e) ? (int) k : 0;
    }

    /**
     * Invoices by creation time, then id. Written out: a {@code Comparator.comparing} chain calls its key extractors
     * through lambdas every caller in the JVM shares, which are not inlined.
     */
    static final java.util.Comparator<Invoice> BY_CREATION = (a, b) -> {
        int c = a.createdAt().compareTo(b.createdAt());
        return c != 0 ? c : a.id().compareTo(b.id());
    };

    static boolean isVoid(Invoice i) {
        return i.status() == InvoiceStatus.VOID || i.status() == InvoiceStatus.DRAFT;
    }

    static List<InvoiceLine> linesOfKind(Collection<InvoiceLine> lines, LineKind kind) {
        List<InvoiceLine> out = new ArrayList<>();
        for (InvoiceLine l : lines) if (l.kind() == kind) out.add(l);
        return out;
    }

    /**
     * Money collected on the invoice: the larger of its amount_paid and the sum of its successful payments. An invoice
     * whose status is {@code paid} is settled in full whatever the other columns say: exports often leave amount_paid
     * out (it is optional and reads as 0) and payments made out of band (wire, cheque) have no payment row.
     */
    static Money collected(Invoice inv, List<Payment> payments) {
        Money sum = Money.zero(inv.currency());
        for (Payment p : payments) {
            if (p.status() == PaymentStatus.SUCCEEDED && p.amount().currency().equals(inv.currency())) sum = sum.plus(p.amount());
        }
        Money out = sum.max(inv.amountPaid());
        return inv.status() == InvoiceStatus.PAID ? out.max(inv.total()) : out;
    }

    static Money credited(Invoice inv, List<CreditNote> notes) {
        if (notes.isEmpty()) return Money.zero(inv.currency()); // most invoices: no iterator over an empty list
        Money sum = Money.zero(inv.currency());
        for (CreditNote c : notes) if (c.amount().currency().equals(inv.currency())) sum = sum.plus(c.amount());
        return sum;
    }

    /** The invoice's service period start: period_start, else its creation time. */
    static Instant periodStart(Invoice i) {
        return i.periodStart() != null ? i.periodStart() : i.createdAt();
    }

    /**
     * The start of the service period an invoice bills, or null when it bills none that can be told. Its subscription
     * lines' periods come first: Stripe's invoice-level period on a cycle invoice is the <em>previous</em> period (the
     * window usage was collected in) and a subscription_create invoice has period_start = period_end. Without such
     * lines, a non-empty invoice-level period; then the invoice's creation for an invoice with subscription lines that
     * carry no period. An invoice with no lines and no period (a one-off charge, a setup fee, a manual invoice) bills
     * no service period.
     */
    static Instant servicePeriodStart(Invoice inv, List<InvoiceLine> lines) {
        Instant start = null;
        boolean subscriptionLine = false;
        for (InvoiceLine l : lines) {
            if (l.kind() != LineKind.SUBSCRIPTION) continue;
            subscriptionLine = true;
            if (l.periodStart() != null && (start == null || l.periodStart().isBefore(start))) start = l.periodStart();
        }
        if (start != null) return start;
        if (inv.periodStart() != null && inv.periodEnd() != null && inv.periodEnd().isAfter(inv.periodStart())) return inv.periodStart();
        if (subscriptionLine) return periodStart(inv);
        return null;
    }

    static boolean isProrationOnly(Invoice inv, List<InvoiceLine> lines) {
        if (lines.isEmpty()) {
            String r = inv.billingReason() == null ? "" : inv.billingReason().toLowerCase(Locale.ROOT);
            return r.contains("update") || r.contains("proration");
        }
        for (InvoiceLine l : lines) if (l.kind() == LineKind.SUBSCRIPTION) return false;
        return true;
    }

    static String reason(Invoice inv) {
        return inv.billingReason() == null ? "" : inv.billingReason().toLowerCase(Locale.ROOT);
    }

    /**
     * The first month whose usage is not judged yet: usage is billed in arrears, so the {@code arrears} months before
     * the as-of month may not be invoiced yet (§5) — unless an invoice created after such a month ended exists, which
     * is where its usage would have been billed. The as-of month itself is never judged.
     */
    static java.time.YearMonth firstUnjudgedUsageMonth(List<Invoice> invoices, java.time.YearMonth asOfMonth, int arrears, Instant asOf) {
        java.time.YearMonth first = asOfMonth.minusMonths(arrears);
        Instant latest = null;
        for (Invoice i : invoices) {
            if (isVoid(i) || i.createdAt().isAfter(asOf)) continue;
            if (latest == null || i.createdAt().isAfter(latest)) latest = i.createdAt();
        }
        while (latest != null && first.isBefore(asOfMonth) && !latest.isBefore(Periods.end(first))) first = first.plusMonths(1);
        return first;
    }

    static String plural(long n, String word) {
        return n + " " + word + (n == 1 ? "" : "s");
    }
}
