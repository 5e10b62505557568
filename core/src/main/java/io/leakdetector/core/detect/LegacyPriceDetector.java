package io.leakdetector.core.detect;

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
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * LEGACY_PRICE: a live subscription still on a price version that has been retired from the price book, paying
 * less than the plan's list price today. Price-locked (grandfathered on purpose) subscriptions never are.
 * Subject {@code subscription:<id>}; amount: monthly recurring list − paid (an opportunity, not a leak).
 */
public final class LegacyPriceDetector implements Detector {
    private static final Set<EntityKind> READS = Set.copyOf(EnumSet.of(EntityKind.SUBSCRIPTIONS, EntityKind.SUBSCRIPTION_CHANGES, EntityKind.INVOICES));
    /** @param minGapMinor per-unit gaps up to this many minor units are ignored (default 0) */
    public record Config(long minGapMinor) {
        public static final Config DEFAULTS = new Config(0);
    }

    private final Config config;

    public LegacyPriceDetector(Config config) {
        this.config = config;
    }

    public LegacyPriceDetector() {
        this(Config.DEFAULTS);
    }

    @Override
    public Set<EntityKind> reads() {
        return READS;
    }

    @Override
    public Category category() {
        return Category.LEGACY_PRICE;
    }

    @Override
    public List<Detection> detect(CustomerHistory h, DetectionContext ctx) {
        List<Detection> out = new ArrayList<>();
        for (Subscription sub : h.subscriptions()) {
            if (sub.priceLocked()) continue;
            SubscriptionStatus st = sub.status();
            if (st != SubscriptionStatus.ACTIVE && st != SubscriptionStatus.PAST_DUE && st != SubscriptionStatus.TRIALING) continue;
            if (sub.canceledAt() != null && !sub.canceledAt().isAfter(ctx.asOf())) continue;
            SubscriptionTimeline tl = new SubscriptionTimeline(sub, h.changesOf(sub.id()), ctx.prices());
            Price on = ctx.prices().price(tl.priceIdAt(ctx.asOf()));
            if (on == null || on.validAt(ctx.asOf()) || on.validTo() == null || on.validTo().isAfter(ctx.asOf())) continue;
            // §5: a retired version stays valid for the subscription until its next renewal; only a renewal that
            // kept the old version makes it legacy
            Instant renewal = renewalSince(h, tl, on);
            if (renewal == null || renewal.isAfter(ctx.asOf())) continue;
            Price list = ctx.prices().listPriceAt(on.planId(), ctx.asOf());
            if (list == null || list == on || !list.unitAmount().currency().equals(on.unitAmount().currency())
                    || list.interval() != on.interval() || list.scheme() != on.scheme()) continue;
            Money paidUnit = Billing.contractedUnit(tl, on, ctx.asOf());
            if (!paidUnit.currency().equals(list.unitAmount().currency())) continue;
            Money gapUnit = list.unitAmount().minus(paidUnit);
            if (gapUnit.minor() <= config.minGapMinor()) continue;
            long units = Billing.billedUnits(on, tl.quantityAt(ctx.asOf()));
            Money perInterval = gapUnit.times(units);
            Money monthly = Billing.monthly(perInterval, on);
            List<Evidence> ev = List.of(new Evidence("live subscriptions are on a current price version",
                    list.id() + " at " + list.unitAmount().format() + " per unit (list since " + Periods.day(list.validFrom()) + ")",
                    on.id() + " at " + paidUnit.format() + " per unit, retired " + Periods.day(on.validTo()) + "; not price-locked",
                    List.of(sub.source(), on.source(), list.source())));
            String expl = "Subscription " + sub.id() + " still pays " + paidUnit.format() + " per unit on " + on.id()
                    + ", retired " + Periods.day(on.validTo()) + "; today's list price " + list.id() + " is " + list.unitAmount().format()
                    + (units > 1 ? "; " + units + " units" : "") + " → " + monthly.format() + " a month more at list; the price is not locked.";
            long days = Periods.daysBetween(on.validTo(), ctx.asOf());
            out.add(new Detection(Category.LEGACY_PRICE, Kind.OPPORTUNITY, "retired_price_below_list", "subscription:" + sub.id(),
                    h.customerId(), Money.zero(monthly.currency()), monthly, ev, expl,
                    "Plan a move of subscription " + sub.id() + " to " + list.id() + " at its next renewal (with notice), or mark it price-locked if the old price is kept on purpose.",
                    List.of(Signals.certainty(0.92, "the subscription's price version has a valid_to before the as-of time"),
                            Signals.margin(Signals.relative(gapUnit.minor() / (double) Math.max(1, list.unitAmount().minor())),
                                    gapUnit.format() + " per unit below list"),
                            Signals.persistence(Math.min(1, 0.5 + days / 365.0), days + " days since the version was retired"))));
        }
        return out;
    }

    /** The first renewal (period start) at or after the version's retirement: from the invoices, else the schedule. */
    private static Instant renewalSince(CustomerHistory h, SubscriptionTimeline tl, Price on) {
        Instant found = null;
        for (io.leakdetector.core.domain.Invoice i : h.invoicesOf(tl.subscription().id())) {
            if (Billing.isVoid(i)) continue;
            Instant s = Billing.periodStart(i);
            if (!s.isBefore(on.validTo()) && (found == null || s.isBefore(found))) found = s;
        }
        if (found != null) return found;
        Instant s = tl.billingStart();
        while (s.isBefore(on.validTo())) s = Periods.plusMonths(s, on.interval().months());
        return s;
    }
}
