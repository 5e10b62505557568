package io.leakdetector.core.detect;

import io.leakdetector.core.domain.Invoice;
import io.leakdetector.core.domain.Payment;
import io.leakdetector.core.domain.PaymentMethod;
import io.leakdetector.core.domain.Price;
import io.leakdetector.core.domain.Subscription;
import io.leakdetector.core.domain.SubscriptionStatus;
import io.leakdetector.core.finding.Category;
import io.leakdetector.core.finding.Evidence;
import io.leakdetector.core.finding.Kind;
import io.leakdetector.core.ingest.EntityKind;
import io.leakdetector.core.money.Money;
import java.time.Instant;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * EXPIRING_PAYMENT_METHOD: the card the customer pays with (the default one, else the one used last) expires before
 * the next renewal of a live subscription, and no other unexpired card would take over. A card is valid through
 * the last day of its expiry month. Subject {@code customer:<id>}; amount: one-time, the next invoice (a risk).
 */
public final class ExpiringPaymentMethodDetector implements Detector {
    private static final Set<EntityKind> READS = Set.copyOf(EnumSet.of(EntityKind.SUBSCRIPTIONS, EntityKind.SUBSCRIPTION_CHANGES, EntityKind.INVOICES, EntityKind.PAYMENTS, EntityKind.PAYMENT_METHODS));
    /** @param horizonDays only renewals within this many days of the as-of time are considered (default 366) */
    public record Config(int horizonDays) {
        public static final Config DEFAULTS = new Config(366);
    }

    private final Config config;

    public ExpiringPaymentMethodDetector(Config config) {
        this.config = config;
    }

    public ExpiringPaymentMethodDetector() {
        this(Config.DEFAULTS);
    }

    @Override
    public Set<EntityKind> reads() {
        return READS;
    }

    @Override
    public Category category() {
        return Category.EXPIRING_PAYMENT_METHOD;
    }

    @Override
    public List<Detection> detect(CustomerHistory h, DetectionContext ctx) {
        if (h.paymentMethods().isEmpty()) return List.of();
        PaymentMethod card = cardOnFile(h);
        if (card == null || card.expires() == null) return List.of();
        Instant validUntil = Periods.end(card.expires()); // valid through the end of the expiry month
        // a newer card of the customer that outlives this one would be used instead
        for (PaymentMethod pm : h.paymentMethods()) {
            if (pm != card && pm.expires() != null && pm.expires().isAfter(card.expires()) && isCard(pm)
                    && (pm.isDefault() || !card.isDefault())) return List.of();
        }
        Renewal next = null;
        for (Subscription sub : h.subscriptions()) {
            if (sub.status() != SubscriptionStatus.ACTIVE && sub.status() != SubscriptionStatus.PAST_DUE
                    && sub.status() != SubscriptionStatus.TRIALING) continue;
            if (sub.canceledAt() != null) continue;
            Renewal r = nextRenewal(h, ctx, sub);
            if (r != null && (next == null || r.at.isBefore(next.at))) next = r;
        }
        if (next == null) return List.of();
        if (!validUntil.isBefore(next.at.plusSeconds(1))) return List.of(); // still valid at the renewal
        if (next.at.isAfter(Periods.plusDays(ctx.asOf(), config.horizonDays()))) return List.of();
        long days = Math.max(0, Periods.daysBetween(ctx.asOf(), next.at));
        boolean expired = !validUntil.isAfter(ctx.asOf());
        List<Evidence> ev = List.of(new Evidence("the card on file is valid at the next renewal",
                "valid on " + Periods.day(next.at) + " (renewal of subscription " + next.sub.id() + ")",
                "card " + card.id() + (card.brand() == null ? "" : " (" + card.brand() + ")") + " expires " + card.expires()
                        + (expired ? ", already expired" : ""), List.of(card.source(), next.sub.source())));
        String expl = "The card on file " + card.id() + " of customer " + h.customerId() + (expired ? " expired " : " expires ")
                + "at the end of " + card.expires() + ", before subscription " + next.sub.id() + " renews on " + Periods.day(next.at)
                + " for about " + next.amount.format() + "; no newer card is on file.";
        return List.of(new Detection(Category.EXPIRING_PAYMENT_METHOD, Kind.RISK, "card_expires_before_renewal",
                "customer:" + h.customerId(), h.customerId(), next.amount, Money.zero(next.amount.currency()), ev, expl,
                "Ask customer " + h.customerId() + " to update the card before " + Periods.day(next.at)
                        + " (card-update email or account-updater), so the renewal does not fail.",
                List.of(Signals.certainty(0.9, "card expiry month compared with the next renewal date"),
                        Signals.margin(expired ? 1.0 : 0.7, expired ? "the card has already expired" : "expires before the renewal"),
                        Signals.persistence(Math.max(0.3, 1 - days / 120.0), days + " days to the renewal"))));
    }

    private static boolean isCard(PaymentMethod pm) {
        return pm.type().toLowerCase(java.util.Locale.ROOT).contains("card");
    }

    /** The default card, else the card used by the latest payment, else the only card. */
    private static PaymentMethod cardOnFile(CustomerHistory h) {
        List<PaymentMethod> cards = new ArrayList<>();
        for (PaymentMethod pm : h.paymentMethods()) if (isCard(pm)) cards.add(pm);
        if (cards.isEmpty()) return null;
        // a non-card default method (bank debit) is what renewals use: no expiry risk
        for (PaymentMethod pm : h.paymentMethods()) if (pm.isDefault() && !isCard(pm)) return null;
        for (PaymentMethod pm : cards) if (pm.isDefault()) return pm;
        Payment latest = h.payments().stream().filter(p -> p.paymentMethodId() != null)
                .max(Comparator.comparing(Payment::attemptedAt)).orElse(null);
        if (latest != null) for (PaymentMethod pm : cards) if (pm.id().equals(latest.paymentMethodId())) return pm;
        return cards.size() == 1 ? cards.get(0) : cards.stream().max(Comparator.comparing(PaymentMethod::expires,
                Comparator.nullsFirst(Comparator.<YearMonth>naturalOrder()))).orElse(null);
    }

    private record Renewal(Subscription sub, Instant at, Money amount) {}

    private static Renewal nextRenewal(CustomerHistory h, DetectionContext ctx, Subscription sub) {
        SubscriptionTimeline tl = new SubscriptionTimeline(sub, h.changesOf(sub.id()), ctx.prices());
        Price price = ctx.prices().price(tl.priceIdAt(ctx.asOf()));
        if (price == null) return null;
        Invoice last = null;
        for (Invoice i : h.invoicesOf(sub.id())) {
            if (Billing.isVoid(i) || i.createdAt().isAfter(ctx.asOf())) continue;
            if (last == null || Billing.periodStart(i).isAfter(Billing.periodStart(last))) last = i;
        }
        Instant at;
        if (last != null && last.periodEnd() != null) at = last.periodEnd();
        else {
            at = tl.billingStart();
            while (!at.isAfter(ctx.asOf())) at = Periods.plusMonths(at, price.interval().months());
        }
        while (at.isBefore(ctx.asOf())) at = Periods.plusMonths(at, price.interval().months());
        Money amount;
        if (last != null && last.total().isPositive()) amount = last.total();
        else {
            amount = Billing.contractedUnit(tl, price, at).times(Billing.billedUnits(price, tl.quantityAt(at)));
            if (Billing.discountValidAt(sub, at)) amount = Billing.afterDiscount(amount, sub.discountPercent());
        }
        if (!amount.isPositive()) return null;
        return new Renewal(sub, at, amount);
    }
}
