package io.leakdetector.core.detect;

import io.leakdetector.core.domain.Invoice;
import io.leakdetector.core.domain.InvoiceLine;
import io.leakdetector.core.domain.LineKind;
import io.leakdetector.core.domain.Price;
import io.leakdetector.core.domain.Sourced;
import io.leakdetector.core.domain.Subscription;
import io.leakdetector.core.money.Money;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Compares what each subscription invoice charged with the contract in force for its period, and splits any
 * shortfall into a discount applied after its end (EXPIRED_DISCOUNT) and a price below the contract with no
 * valid discount (PRICE_MISMATCH). Shared by both detectors so that they never disagree about one invoice.
 */
final class InvoicePricing {
    enum Kind { PRICE_MISMATCH, EXPIRED_DISCOUNT }

    /** One shortfall on one invoice, per billing interval, with what it was judged against. */
    record Shortfall(Kind kind, Invoice invoice, Subscription sub, Price price, Money perInterval, Money perMonth,
                     String expected, String observed, String why, List<String> sources, long units) {}

    private InvoicePricing() {}

    /** The last analysis on this thread: PRICE_MISMATCH and EXPIRED_DISCOUNT run one after the other on one history. */
    private record Memo(CustomerHistory h, DetectionContext ctx, long tol, List<Shortfall> result) {}

    private static final ThreadLocal<Memo> LAST = new ThreadLocal<>();

    static List<Shortfall> analyse(CustomerHistory h, DetectionContext ctx, long tolerancePerUnitMinor) {
        Memo m = LAST.get();
        if (m != null && m.h == h && m.ctx == ctx && m.tol == tolerancePerUnitMinor) return m.result;
        List<Shortfall> r = compute(h, ctx, tolerancePerUnitMinor);
        LAST.set(new Memo(h, ctx, tolerancePerUnitMinor, r));
        return r;
    }

    private static List<Shortfall> compute(CustomerHistory h, DetectionContext ctx, long tolerancePerUnitMinor) {
        Map<String, Subscription> subs = new HashMap<>();
        for (Subscription s : h.subscriptions()) subs.put(s.id(), s);
        Map<String, SubscriptionTimeline> timelines = new HashMap<>();
        List<Shortfall> out = new ArrayList<>();
        for (Invoice inv : h.invoices()) {
            if (inv.subscriptionId() == null || Billing.isVoid(inv)) continue;
            if (inv.createdAt().isAfter(ctx.asOf())) continue;
            Subscription sub = subs.get(inv.subscriptionId());
            if (sub == null) continue;
            SubscriptionTimeline tl = timelines.computeIfAbsent(sub.id(), k -> new SubscriptionTimeline(sub, h.changesOf(sub.id()), ctx.prices()));
            List<InvoiceLine> lines = h.lines(inv.id());
            Money discountLines = Money.zero(inv.currency());
            Money chargeableGross = Money.zero(inv.currency());
            List<InvoiceLine> subLines = new ArrayList<>(lines.size());
            for (InvoiceLine l : lines) {
                if (!l.amount().currency().equals(inv.currency())) continue;
                if (l.kind() == LineKind.DISCOUNT) discountLines = discountLines.plus(l.amount().abs());
                // what a percentage discount applies to: every charge line, prorations included (net)
                if (l.kind() == LineKind.SUBSCRIPTION || l.kind() == LineKind.USAGE || l.kind() == LineKind.ONE_OFF
                        || l.kind() == LineKind.PRORATION) chargeableGross = chargeableGross.plus(l.amount());
                if (l.kind() == LineKind.SUBSCRIPTION) subLines.add(l);
            }
            Instant t = Billing.periodStart(inv);
            if (t.isBefore(tl.billingStart())) continue; // trial period: free by contract
            Price contractPrice = Billing.versionAt(tl, ctx.prices(), t);
            if (contractPrice == null || !contractPrice.unitAmount().currency().equals(inv.currency())) continue;
            boolean discountValid = Billing.discountValidAt(sub, inv.createdAt());
            boolean discountExpired = Billing.hasDiscount(sub) && !discountValid;
            Money invoiceDiscount = inv.discount().max(discountLines);
            boolean embeddedDiscount = false;

            // A. unit price of each subscription line against the contract
            for (InvoiceLine l : subLines) {
                Instant lt = l.periodStart() != null ? l.periodStart() : t;
                Price linePrice = ctx.prices().price(l.priceId());
                Price price;
                if (linePrice != null && !linePrice.planId().equals(contractPrice.planId())
                        && !linePrice.productId().equals(contractPrice.productId())) {
                    price = linePrice; // another product on the same invoice: judged against its own list price
                } else {
                    price = Billing.expectedVersion(tl, ctx.prices(), linePrice, lt);
                    if (price == null) continue;
                }
                if (!price.unitAmount().currency().equals(l.unitAmount().currency())) continue;
                Money expectedUnit = Billing.contractedUnit(tl, price, lt);
                // An annual (or quarterly) price may be billed in monthly instalments: a line for k whole months of
                // a longer interval owes k / interval of the unit amount.
                int lineMonths = Billing.wholeMonths(l.periodStart(), l.periodEnd());
                int months = lineMonths > 0 && lineMonths < price.interval().months() ? lineMonths : price.interval().months();
                if (months != price.interval().months()) {
                    expectedUnit = expectedUnit.times(BigDecimal.valueOf(months))
                            .times(BigDecimal.ONE.divide(BigDecimal.valueOf(price.interval().months()), 10, java.math.RoundingMode.HALF_EVEN));
                }
                Money unit = l.unitAmount();
                long units = Math.max(1, l.quantity());
                long tol = tolerancePerUnitMinor;
                if (unit.minor() >= expectedUnit.minor() - tol) continue;
                Money discountedUnit = Billing.hasDiscount(sub) ? Billing.afterDiscount(expectedUnit, sub.discountPercent()) : null;
                boolean looksDiscounted = discountedUnit != null && Math.abs(unit.minor() - discountedUnit.minor()) <= tol;
                if (looksDiscounted && discountValid && invoiceDiscount.isZero()) {
                    embeddedDiscount = true;
                    continue;
                }
                List<String> src = List.of(l.source(), inv.source(), sub.source(), price.source());
                String contract = contractText(sub, tl, price, lt, expectedUnit);
                if (looksDiscounted && discountExpired) {
                    Money per = expectedUnit.minus(unit).times(units);
                    out.add(new Shortfall(Kind.EXPIRED_DISCOUNT, inv, sub, price, per, perMonth(per, months),
                            expectedUnit.format() + " per unit (discount ended " + Periods.day(sub.discountEnd()) + ")",
                            unit.format() + " per unit = " + sub.discountPercent().stripTrailingZeros().toPlainString() + " % off",
                            "the " + pct(sub) + " discount ended " + Periods.day(sub.discountEnd()) + " but was still priced into the line",
                            src, units));
                    continue;
                }
                Money floor = discountValid && invoiceDiscount.isZero() && discountedUnit != null ? discountedUnit : expectedUnit;
                if (unit.minor() >= floor.minor() - tol) continue;
                Money per = floor.minus(unit).times(units);
                String discountNote = discountValid ? "a valid " + pct(sub) + " discount allows " + floor.format()
                        : Billing.hasDiscount(sub) ? "its " + pct(sub) + " discount ended " + Periods.day(sub.discountEnd()) : "no discount applies";
                out.add(new Shortfall(Kind.PRICE_MISMATCH, inv, sub, price, per, perMonth(per, months),
                        contract, unit.format() + " per unit × " + units, discountNote, src, units));
            }

            // B. an invoice-level discount (discount amount or discount lines) against the subscription's discount
            if (invoiceDiscount.isPositive() && !subLines.isEmpty()) {
                // the invoice, its discount lines and the subscription: cited only when a finding is made
                List<Sourced> cited = new ArrayList<>();
                cited.add(inv);
                for (InvoiceLine l : lines) if (l.kind() == LineKind.DISCOUNT) cited.add(l);
                cited.add(sub);
                Price price = contractPrice;
                if (discountValid && !embeddedDiscount) {
                    Money base = chargeableGross.max(inv.subtotal());
                    Money allowed = Billing.percentOf(base, sub.discountPercent());
                    Money excess = invoiceDiscount.minus(allowed);
                    if (excess.minor() > tolerancePerUnitMinor * Math.max(1, lines.size())) {
                        out.add(new Shortfall(Kind.PRICE_MISMATCH, inv, sub, price, excess, Billing.monthly(excess, price),
                                "a discount of at most " + allowed.format() + " (" + pct(sub) + " of " + base.format() + ")",
                                invoiceDiscount.format() + " discount", "the discount is larger than the contract's " + pct(sub),
                                Sourced.sources(cited), 1));
                    }
                } else if (discountExpired && Math.abs(Billing.percentOf(chargeableGross.max(inv.subtotal()), sub.discountPercent()).minor()
                                - invoiceDiscount.minor()) <= tolerancePerUnitMinor * Math.max(1, lines.size())) {
                    // the expired percentage itself, still applied
                    out.add(new Shortfall(Kind.EXPIRED_DISCOUNT, inv, sub, price, invoiceDiscount, Billing.monthly(invoiceDiscount, price),
                            "no discount on invoices created from " + Periods.day(sub.discountEnd()),
                            invoiceDiscount.format() + " discount on an invoice created " + Periods.day(inv.createdAt()),
                            "the " + pct(sub) + " discount ended " + Periods.day(sub.discountEnd()), Sourced.sources(cited), 1));
                } else if (discountExpired) {
                    // another discount than the expired percentage: not that discount left on, but none applies
                    out.add(new Shortfall(Kind.PRICE_MISMATCH, inv, sub, price, invoiceDiscount, Billing.monthly(invoiceDiscount, price),
                            "no discount (the " + pct(sub) + " discount ended " + Periods.day(sub.discountEnd()) + ")",
                            invoiceDiscount.format() + " discount", "no discount applies", Sourced.sources(cited), 1));
                } else if (!Billing.hasDiscount(sub) && !introductoryCoupon(h, ctx, sub, tl, inv, invoiceDiscount)) {
                    out.add(new Shortfall(Kind.PRICE_MISMATCH, inv, sub, price, invoiceDiscount, Billing.monthly(invoiceDiscount, price),
                            "no discount (the subscription has none)", invoiceDiscount.format() + " discount",
                            "no discount applies", Sourced.sources(cited), 1));
                }
            }
        }
        return List.copyOf(out);
    }

    /**
     * An amount-off coupon the subscription export cannot show (Stripe's subscription carries only a percentage): the
     * same discount amount on every invoice of the subscription from its first period up to this one. A coupon given
     * at sign-up for a number of months has exactly that shape; a discount that appears mid-life does not.
     */
    private static boolean introductoryCoupon(CustomerHistory h, DetectionContext ctx, Subscription sub, SubscriptionTimeline tl,
                                              Invoice inv, Money discount) {
        Price first = Billing.versionAt(tl, ctx.prices(), tl.billingStart());
        int months = first == null ? 1 : first.interval().months();
        Instant firstPeriodEnd = Periods.plusMonths(tl.billingStart(), months);
        List<Invoice> earlier = new ArrayList<>();
        for (Invoice i : h.invoicesOf(sub.id())) {
            if (Billing.isVoid(i) || i.createdAt().isAfter(inv.createdAt()) || !i.currency().equals(inv.currency())) continue;
            boolean charges = false;
            for (InvoiceLine l : h.lines(i.id())) if (l.kind() == LineKind.SUBSCRIPTION) charges = true;
            if (charges) earlier.add(i);
        }
        if (earlier.isEmpty()) return false;
        earlier.sort(Billing.BY_CREATION);
        if (!Billing.periodStart(earlier.get(0)).isBefore(firstPeriodEnd)) return false; // not from the first period
        for (Invoice i : earlier) {
            Money lines = Money.zero(i.currency());
            for (InvoiceLine l : h.lines(i.id())) if (l.kind() == LineKind.DISCOUNT) lines = lines.plus(l.amount().abs());
            if (!i.discount().max(lines).equals(discount)) return false;
        }
        return true;
    }

    private static Money perMonth(Money perPeriod, int months) {
        return months == 1 ? perPeriod : perPeriod.dividedBy(months);
    }

    static String pct(Subscription s) {
        BigDecimal p = s.discountPercent();
        return (p == null ? "0" : p.stripTrailingZeros().toPlainString()) + " %";
    }

    private static String contractText(Subscription sub, SubscriptionTimeline tl, Price price, Instant t, Money unit) {
        if (sub.negotiatedUnitAmount() != null && price.id().equals(sub.priceId()) && unit.equals(sub.negotiatedUnitAmount())) {
            return (sub.contractId() != null ? "contract " + sub.contractId() : "subscription " + sub.id())
                    + " says " + unit.format() + " per unit";
        }
        return "price " + price.id() + " says " + unit.format() + " per unit from " + Periods.day(price.validFrom());
    }
}
