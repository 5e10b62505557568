package io.leakdetector.core.detect;

import io.leakdetector.core.domain.Invoice;
import io.leakdetector.core.domain.Payment;
import io.leakdetector.core.domain.PaymentStatus;
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
 * SILENT_CHURN: a subscription still active, past due or unpaid whose invoices have gone unpaid for
 * {@code minUnpaidPeriods} billing periods or more since its last successful payment: the customer has
 * stopped paying but nobody has acted. Subject {@code subscription:<id>}; amount: its MRR (a risk).
 */
public final class SilentChurnDetector implements Detector {
    private static final Set<EntityKind> READS = Set.copyOf(EnumSet.of(EntityKind.SUBSCRIPTIONS, EntityKind.SUBSCRIPTION_CHANGES, EntityKind.INVOICES, EntityKind.PAYMENTS, EntityKind.CREDIT_NOTES));
    /**
     * @param minUnpaidPeriods unpaid periods in a row since the last payment before it is churn (default 2)
     * @param toleranceMinor unpaid remainders up to this are rounding (default 0)
     * @param graceDays days past an invoice's usual payment time before it counts as unpaid (default 14)
     */
    public record Config(int minUnpaidPeriods, long toleranceMinor, int graceDays) {
        public static final Config DEFAULTS = new Config(2, 0, 14);

        public Config(int minUnpaidPeriods, long toleranceMinor) {
            this(minUnpaidPeriods, toleranceMinor, DEFAULTS.graceDays);
        }
    }

    private final Config config;

    public SilentChurnDetector(Config config) {
        this.config = config;
    }

    public SilentChurnDetector() {
        this(Config.DEFAULTS);
    }

    @Override
    public Set<EntityKind> reads() {
        return READS;
    }

    @Override
    public Category category() {
        return Category.SILENT_CHURN;
    }

    @Override
    public List<Detection> detect(CustomerHistory h, DetectionContext ctx) {
        List<Detection> out = new ArrayList<>();
        for (Subscription sub : h.subscriptions()) {
            SubscriptionStatus st = sub.status();
            if (st != SubscriptionStatus.ACTIVE && st != SubscriptionStatus.PAST_DUE && st != SubscriptionStatus.UNPAID) continue;
            if (sub.canceledAt() != null && !sub.canceledAt().isAfter(ctx.asOf())) continue;
            List<Invoice> invoices = new ArrayList<>();
            for (Invoice i : h.invoicesOf(sub.id())) {
                if (!Billing.isVoid(i) && i.total().isPositive() && !i.createdAt().isAfter(ctx.asOf())) invoices.add(i);
            }
            if (invoices.isEmpty()) continue;
            invoices.sort(Billing.BY_CREATION);
            // An invoice is unpaid only once it is due: exports carry no due date, so the customer's own payment
            // terms are read from how long its paid invoices took (net-30/60 B2B customers pay weeks later).
            // Worked out at the first invoice left to pay: most subscriptions' newest invoice is paid.
            Long dueDays = null;
            // walk back from the newest invoice: count unpaid periods until one that was paid
            Instant lastPaid = null;
            List<Invoice> unpaid = new ArrayList<>();
            Money owed = Money.zero(invoices.get(0).currency());
            for (int i = invoices.size() - 1; i >= 0; i--) {
                Invoice inv = invoices.get(i);
                List<Payment> ps = h.paymentsFor(inv.id());
                Money remaining = inv.total().minus(Billing.collected(inv, ps)).minus(Billing.credited(inv, h.creditNotesFor(inv.id())));
                if (remaining.minor() > config.toleranceMinor()) {
                    if (dueDays == null) dueDays = typicalPaymentDays(h, invoices, ctx.asOf()) + config.graceDays();
                    if (ctx.asOf().isBefore(Periods.plusDays(inv.createdAt(), dueDays))) continue; // not due yet
                    unpaid.add(inv);
                    if (remaining.currency().equals(owed.currency())) owed = owed.plus(remaining);
                } else {
                    lastPaid = lastSuccess(ps, inv);
                    break;
                }
            }
            if (unpaid.size() < config.minUnpaidPeriods()) continue;
            SubscriptionTimeline tl = new SubscriptionTimeline(sub, h.changesOf(sub.id()), ctx.prices());
            Price price = ctx.prices().price(tl.priceIdAt(ctx.asOf()));
            if (price == null) continue;
            Money unit = Billing.contractedUnit(tl, price, ctx.asOf());
            Money perInterval = unit.times(Billing.billedUnits(price, tl.quantityAt(ctx.asOf())));
            if (Billing.discountValidAt(sub, ctx.asOf())) perInterval = Billing.afterDiscount(perInterval, sub.discountPercent());
            Money mrr = Billing.monthly(perInterval, price);
            if (!mrr.isPositive() || !mrr.currency().equals(unpaid.get(0).currency())) continue;
            Invoice oldest = unpaid.get(unpaid.size() - 1);
            List<String> src = new ArrayList<>();
            src.add(sub.source());
            for (Invoice u : unpaid) if (src.size() < 10) src.add(u.source());
            String since = lastPaid != null ? "the last successful payment was " + Periods.day(lastPaid)
                    : "no payment has ever succeeded";
            List<Evidence> ev = List.of(new Evidence("a live subscription is paid every period",
                    "a successful payment at least every " + price.interval().name().toLowerCase() + " (tolerance "
                            + (config.minUnpaidPeriods() - 1) + " unpaid)",
                    unpaid.size() + " invoices in a row unpaid since " + Periods.day(oldest.createdAt()) + " (" + owed.format()
                            + " owed); " + since, src));
            String expl = "Subscription " + sub.id() + " is still " + st.name().toLowerCase() + " but its last " + unpaid.size()
                    + " invoices since " + Periods.day(oldest.createdAt()) + " are unpaid (" + owed.format() + " owed); " + since
                    + ". The customer is silently churning: " + mrr.format() + " a month at risk.";
            out.add(new Detection(Category.SILENT_CHURN, Kind.RISK, "unpaid_periods_while_active", "subscription:" + sub.id(),
                    h.customerId(), Money.zero(mrr.currency()), mrr, ev, expl,
                    "Contact customer " + h.customerId() + " (account manager or dunning email), then suspend access or cancel subscription "
                            + sub.id() + " if it stays unpaid.",
                    List.of(Signals.certainty(0.88, "consecutive unpaid invoices on a subscription still marked " + st.name().toLowerCase()),
                            Signals.margin(Signals.relative((unpaid.size() - config.minUnpaidPeriods()) / 4.0), unpaid.size() + " unpaid periods"),
                            Signals.persistence(Math.min(1, 0.5 + unpaid.size() / 8.0), unpaid.size() + " periods without payment"))));
        }
        return out;
    }

    /**
     * The median number of days between a paid invoice's creation and the successful payment that settled it (0 when
     * no paid invoice has a dated payment): the customer's payment terms as its own history shows them.
     */
    private static long typicalPaymentDays(CustomerHistory h, List<Invoice> invoices, Instant asOf) {
        List<Long> lags = new ArrayList<>();
        for (Invoice inv : invoices) {
            Instant paidAt = null;
            for (Payment p : h.paymentsFor(inv.id())) {
                if (p.status() == PaymentStatus.SUCCEEDED && !p.attemptedAt().isAfter(asOf)
                        && (paidAt == null || p.attemptedAt().isAfter(paidAt))) paidAt = p.attemptedAt();
            }
            if (paidAt != null && paidAt.isAfter(inv.createdAt())) lags.add(Periods.daysBetween(inv.createdAt(), paidAt));
            else if (paidAt != null) lags.add(0L);
        }
        if (lags.isEmpty()) return 0;
        java.util.Collections.sort(lags);
        return lags.get((lags.size() - 1) / 2);
    }

    private static Instant lastSuccess(List<Payment> ps, Invoice inv) {
        Instant t = null;
        for (Payment p : ps) if (p.status() == PaymentStatus.SUCCEEDED && (t == null || p.attemptedAt().isAfter(t))) t = p.attemptedAt();
        return t != null ? t : inv.createdAt();
    }
}
