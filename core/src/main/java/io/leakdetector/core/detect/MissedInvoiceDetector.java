package io.leakdetector.core.detect;

import io.leakdetector.core.domain.Invoice;
import io.leakdetector.core.domain.InvoiceLine;
import io.leakdetector.core.domain.LineKind;
import io.leakdetector.core.domain.Price;
import io.leakdetector.core.domain.Subscription;
import io.leakdetector.core.domain.SubscriptionStatus;
import io.leakdetector.core.finding.Category;
import io.leakdetector.core.finding.Evidence;
import io.leakdetector.core.finding.Kind;
import io.leakdetector.core.ingest.EntityKind;
import io.leakdetector.core.money.Money;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * MISSED_INVOICE: a billing period of a live, paying subscription that no invoice covers. The invoices' service
 * periods are laid end to end; a hole of at least half an interval (or an open end after the last invoice) is cut
 * into periods, each named by the month it starts in: {@code subscription:<id>@<YYYY-MM>}. Amount: one-time,
 * the expected charge of the period. Trials, pauses, time after cancellation and periods that started less than
 * {@code invoiceLagDays} ago are not judged.
 */
public final class MissedInvoiceDetector implements Detector {
    private static final Set<EntityKind> READS = Set.copyOf(EnumSet.of(EntityKind.SUBSCRIPTIONS, EntityKind.SUBSCRIPTION_CHANGES, EntityKind.INVOICES, EntityKind.INVOICE_LINES));
    /**
     * @param invoiceLagDays days an invoice may take to appear after its period starts (default 3)
     * @param minGapShare a hole between two invoices must span this share of an interval to count (default 0.5)
     */
    public record Config(int invoiceLagDays, double minGapShare) {
        public static final Config DEFAULTS = new Config(3, 0.5);
    }

    private final Config config;

    public MissedInvoiceDetector(Config config) {
        this.config = config;
    }

    public MissedInvoiceDetector() {
        this(Config.DEFAULTS);
    }

    @Override
    public Set<EntityKind> reads() {
        return READS;
    }

    @Override
    public Category category() {
        return Category.MISSED_INVOICE;
    }

    @Override
    public List<Detection> detect(CustomerHistory h, DetectionContext ctx) {
        List<Detection> out = new ArrayList<>();
        for (Subscription sub : h.subscriptions()) {
            if (sub.status() == SubscriptionStatus.INCOMPLETE) continue;
            SubscriptionTimeline tl = new SubscriptionTimeline(sub, h.changesOf(sub.id()), ctx.prices());
            Instant start = tl.billingStart();
            boolean arrears = billedInArrears(h, ctx, tl);
            List<Instant[]> covered = coverage(h, ctx, tl, arrears);
            // Extracts often begin in the middle of a subscription's life: time before its first invoice is judged
            // only when the subscription began inside the data (then its whole billing life should be there).
            if (!covered.isEmpty() && covered.get(0)[0].isAfter(start) && !ctx.inData(sub.startedAt())) start = covered.get(0)[0];
            Instant coveredEnd = covered.isEmpty() ? start : covered.get(covered.size() - 1)[1];
            boolean endKnown = !(sub.status() == SubscriptionStatus.CANCELED && sub.canceledAt() == null) && !tl.pauseUnknown();
            Instant end = endKnown ? (sub.canceledAt() != null && sub.canceledAt().isBefore(ctx.asOf()) ? sub.canceledAt() : ctx.asOf())
                    : (coveredEnd.isBefore(ctx.asOf()) ? coveredEnd : ctx.asOf());
            if (!end.isAfter(start)) continue;
            // walk the holes in [start, end)
            Instant cursor = start;
            List<Instant[]> holes = new ArrayList<>();
            for (Instant[] c : covered) {
                if (!c[1].isAfter(cursor)) continue;
                if (c[0].isAfter(cursor)) holes.add(new Instant[] {cursor, min(c[0], end), Instant.EPOCH});
                if (c[1].isAfter(cursor)) cursor = c[1];
                if (!cursor.isBefore(end)) break;
            }
            if (cursor.isBefore(end)) holes.add(new Instant[] {cursor, end, null}); // open end: null marker
            for (Instant[] hole : holes) {
                boolean openEnd = hole[2] == null;
                Instant s = hole[0];
                while (s.isBefore(hole[1])) {
                    Price price = Billing.versionAt(tl, ctx.prices(), s);
                    if (price == null) break;
                    Instant e = Periods.plusMonths(s, price.interval().months());
                    long periodSecs = e.getEpochSecond() - s.getEpochSecond();
                    long holeSecs = Math.min(e.getEpochSecond(), hole[1].getEpochSecond()) - s.getEpochSecond();
                    // in arrears a period's invoice is due when the period ends, not when it starts
                    boolean counts = openEnd
                            ? !Periods.plusDays(arrears ? e : s, config.invoiceLagDays()).isAfter(hole[1])
                            : holeSecs >= config.minGapShare() * periodSecs;
                    if (counts && !tl.pausedAt(s) && ctx.inData(s)) {
                        Detection d = missed(h, ctx, sub, tl, price, s, e);
                        if (d != null) out.add(d);
                    }
                    s = e;
                }
            }
        }
        return out;
    }

    private Detection missed(CustomerHistory h, DetectionContext ctx, Subscription sub, SubscriptionTimeline tl, Price price,
                             Instant s, Instant e) {
        if (!price.unitAmount().currency().equals(currencyOf(sub, price))) return null;
        Money unit = Billing.contractedUnit(tl, price, s);
        long qty = tl.quantityAt(s);
        Money charge = unit.times(Billing.billedUnits(price, qty));
        if (Billing.discountValidAt(sub, s)) charge = Billing.afterDiscount(charge, sub.discountPercent());
        if (!charge.isPositive()) return null; // a free period is not a paid one
        var month = Periods.month(s);
        List<Evidence> ev = List.of(new Evidence("every paid period has an invoice",
                "an invoice for " + Periods.day(s) + " to " + Periods.day(e) + " of about " + charge.format(),
                "no invoice of subscription " + sub.id() + " covers it", List.of(sub.source(), price.source())));
        String qtyText = price.scheme() == io.leakdetector.core.domain.PricingScheme.PER_SEAT ? qty + " × " + unit.format() : unit.format();
        String expl = "Subscription " + sub.id() + " was " + (sub.canceledAt() != null && sub.canceledAt().isAfter(s) ? "live" : "active")
                + " on " + price.id() + " for the period " + Periods.day(s) + " to " + Periods.day(e) + " but no invoice bills it; expected "
                + qtyText + (Billing.discountValidAt(sub, s) ? " less " + InvoicePricing.pct(sub) + " discount" : "") + " = " + charge.format() + ".";
        long days = Periods.daysBetween(s, ctx.asOf());
        return new Detection(Category.MISSED_INVOICE, Kind.LEAK, "period_without_invoice",
                Periods.subjectAt("subscription", sub.id(), month), h.customerId(), charge, Money.zero(charge.currency()), ev, expl,
                "Issue the missing invoice of " + charge.format() + " for subscription " + sub.id() + " (" + month
                        + ") and check why the billing run skipped it.",
                List.of(Signals.certainty(0.9, "the invoices' service periods leave this period uncovered"),
                        Signals.margin(1.0, "the whole period is unbilled"),
                        Signals.persistence(Math.min(1, 0.5 + days / 60.0), days + " days since the period started")));
    }

    private static java.util.Currency currencyOf(Subscription sub, Price price) {
        return sub.negotiatedUnitAmount() != null ? sub.negotiatedUnitAmount().currency() : price.unitAmount().currency();
    }

    /**
     * Whether a subscription whose invoices carry no service period at all (no invoice-level period, no subscription
     * line period) is billed in arrears: it began inside the data and its first invoice came at least
     * {@code minGapShare} of an interval after billing began — the invoice for a period is issued when it ends.
     * Billed in advance, the first invoice comes at the start.
     */
    private boolean billedInArrears(CustomerHistory h, DetectionContext ctx, SubscriptionTimeline tl) {
        if (!ctx.inData(tl.subscription().startedAt())) return false;
        Instant first = null;
        for (Invoice inv : h.invoicesOf(tl.subscription().id())) {
            if (Billing.isVoid(inv)) continue;
            if (inv.periodStart() != null || inv.periodEnd() != null) return false;
            for (InvoiceLine l : h.lines(inv.id())) {
                if (l.kind() == LineKind.SUBSCRIPTION && (l.periodStart() != null || l.periodEnd() != null)) return false;
            }
            if (first == null || inv.createdAt().isBefore(first)) first = inv.createdAt();
        }
        if (first == null) return false;
        Price p = Billing.versionAt(tl, ctx.prices(), tl.billingStart());
        Instant interval = Periods.plusMonths(tl.billingStart(), p == null ? 1 : p.interval().months());
        long secs = interval.getEpochSecond() - tl.billingStart().getEpochSecond();
        return first.getEpochSecond() - tl.billingStart().getEpochSecond() >= config.minGapShare() * secs;
    }

    /** The service time billed by non-void invoices of the subscription, merged and sorted. */
    private static List<Instant[]> coverage(CustomerHistory h, DetectionContext ctx, SubscriptionTimeline tl, boolean arrears) {
        List<Instant[]> spans = new ArrayList<>();
        for (Invoice inv : h.invoicesOf(tl.subscription().id())) {
            if (Billing.isVoid(inv)) continue;
            Instant s = Billing.periodStart(inv);
            Instant e = inv.periodEnd();
            if (arrears) { // the invoice bills the interval that ended when it was issued
                Price p = Billing.versionAt(tl, ctx.prices(), inv.createdAt());
                e = inv.createdAt();
                s = Periods.plusMonths(e, -(p == null ? 1 : p.interval().months()));
            }
            for (InvoiceLine l : h.lines(inv.id())) {
                if (l.kind() != LineKind.SUBSCRIPTION || l.periodStart() == null || l.periodEnd() == null) continue;
                spans.add(new Instant[] {l.periodStart(), l.periodEnd()});
            }
            if (e == null || !e.isAfter(s)) {
                Price p = Billing.versionAt(tl, ctx.prices(), s);
                e = Periods.plusMonths(s, p == null ? 1 : p.interval().months());
            }
            spans.add(new Instant[] {s, e});
        }
        spans.sort(Comparator.comparing((Instant[] a) -> a[0]));
        List<Instant[]> merged = new ArrayList<>();
        for (Instant[] sp : spans) {
            if (!merged.isEmpty() && !sp[0].isAfter(merged.get(merged.size() - 1)[1])) {
                Instant[] last = merged.get(merged.size() - 1);
                if (sp[1].isAfter(last[1])) last[1] = sp[1];
            } else {
                merged.add(new Instant[] {sp[0], sp[1]});
            }
        }
        return merged;
    }

    private static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }
}
