package io.leakdetector.core.detect;

import io.leakdetector.core.detect.InvoicePricing.Shortfall;
import io.leakdetector.core.domain.Invoice;
import io.leakdetector.core.finding.Category;
import io.leakdetector.core.finding.Evidence;
import io.leakdetector.core.finding.Kind;
import io.leakdetector.core.money.Money;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Turns the pricing shortfalls of one kind into one detection per invoice. */
final class PricingFindings {
    private PricingFindings() {}

    static List<Detection> of(InvoicePricing.Kind kind, CustomerHistory h, DetectionContext ctx, long tol) {
        Map<String, List<Shortfall>> byInvoice = new LinkedHashMap<>();
        for (Shortfall s : InvoicePricing.analyse(h, ctx, tol)) {
            if (s.kind() == kind) byInvoice.computeIfAbsent(s.invoice().id(), k -> new ArrayList<>()).add(s);
        }
        List<Detection> out = new ArrayList<>();
        for (List<Shortfall> group : byInvoice.values()) {
            Invoice inv = group.get(0).invoice();
            Money per = Money.zero(inv.currency());
            Money monthly = Money.zero(inv.currency());
            List<Evidence> ev = new ArrayList<>();
            for (Shortfall s : group) {
                per = per.plus(s.perInterval());
                monthly = monthly.plus(s.perMonth());
                ev.add(new Evidence(kind == InvoicePricing.Kind.PRICE_MISMATCH ? "charged below the contract" : "discount applied after its end",
                        s.expected(), s.observed() + "; " + s.why(), s.sources()));
            }
            Shortfall s0 = group.get(0);
            boolean annual = s0.price().interval().months() == 12;
            String perText = annual ? per.format() + " a year → " + monthly.format() + " a month" : monthly.format() + " a month";
            String expl;
            String action;
            if (kind == InvoicePricing.Kind.PRICE_MISMATCH) {
                expl = "Invoice " + inv.id() + " (" + Periods.day(inv.createdAt()) + ") charged " + s0.observed() + "; "
                        + s0.expected() + "; " + s0.why() + (s0.units() > 1 ? "; " + s0.units() + " units" : "") + " → "
                        + perText + " under-billed.";
                action = "Correct the price on subscription " + s0.sub().id() + " to the contract, bill the difference "
                        + per.format() + " for invoice " + inv.id() + ", and check earlier invoices of the subscription.";
            } else {
                expl = "Invoice " + inv.id() + " (" + Periods.day(inv.createdAt()) + ") still applied the " + InvoicePricing.pct(s0.sub())
                        + " discount of subscription " + s0.sub().id() + ", which ended " + Periods.day(s0.sub().discountEnd())
                        + " → " + perText + " given away.";
                action = "Remove the expired discount from subscription " + s0.sub().id() + " and bill the " + per.format()
                        + " difference on invoice " + inv.id() + ".";
            }
            long daysLate = s0.sub().discountEnd() == null ? 0 : Periods.daysBetween(s0.sub().discountEnd(), inv.createdAt());
            List<Detection.Signal> signals = List.of(
                    Signals.certainty(0.95, kind == InvoicePricing.Kind.PRICE_MISMATCH
                            ? "invoice line unit amount compared with the contracted price" : "discount present after its recorded end date"),
                    Signals.margin(Signals.relative(0.5), per.format() + " per billing interval"),
                    Signals.persistence(kind == InvoicePricing.Kind.EXPIRED_DISCOUNT ? Math.min(1, 0.6 + daysLate / 90.0) : 0.8,
                            kind == InvoicePricing.Kind.EXPIRED_DISCOUNT ? daysLate + " days after the discount ended" : "on a recurring invoice"));
            Category cat = kind == InvoicePricing.Kind.PRICE_MISMATCH ? Category.PRICE_MISMATCH : Category.EXPIRED_DISCOUNT;
            out.add(new Detection(cat, Kind.LEAK, kind == InvoicePricing.Kind.PRICE_MISMATCH ? "below_contract_price" : "discount_after_end",
                    "invoice:" + inv.id(), h.customerId(), Money.zero(inv.currency()), monthly, ev, expl, action, signals));
        }
        return out;
    }
}
