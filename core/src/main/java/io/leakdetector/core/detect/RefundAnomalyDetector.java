package io.leakdetector.core.detect;

import io.leakdetector.core.domain.Invoice;
import io.leakdetector.core.domain.Payment;
import io.leakdetector.core.domain.PaymentStatus;
import io.leakdetector.core.domain.Refund;
import io.leakdetector.core.finding.Category;
import io.leakdetector.core.finding.Evidence;
import io.leakdetector.core.finding.Kind;
import io.leakdetector.core.ingest.EntityKind;
import io.leakdetector.core.money.Money;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * REFUND_ANOMALY: a refund that takes back more than the payment collected, a second refund of the same amount on
 * one payment within a few days of the first (the same refund issued twice), or a refund of a payment that never succeeded (an unpaid invoice). Subject {@code refund:<id>} (the
 * refund that crosses the line); amount: one-time, the excess refunded. Partial refunds within what was paid,
 * with or without a reason, are normal; failed or canceled refunds move no money.
 */
public final class RefundAnomalyDetector implements Detector {
    private static final Set<EntityKind> READS = Set.copyOf(EnumSet.of(EntityKind.INVOICES, EntityKind.PAYMENTS, EntityKind.REFUNDS));
    /**
     * @param toleranceMinor excess up to this many minor units is rounding (default 0)
     * @param duplicateWindowDays a refund of the same amount on the same payment within this many days of an earlier
     *     one is that refund issued twice (default 7); equal partial refunds further apart (two monthly goodwill
     *     credits) are separate decisions
     */
    public record Config(long toleranceMinor, int duplicateWindowDays) {
        public static final Config DEFAULTS = new Config(0, 7);

        public Config(long toleranceMinor) {
            this(toleranceMinor, DEFAULTS.duplicateWindowDays);
        }
    }

    private final Config config;

    public RefundAnomalyDetector(Config config) {
        this.config = config;
    }

    public RefundAnomalyDetector() {
        this(Config.DEFAULTS);
    }

    @Override
    public Set<EntityKind> reads() {
        return READS;
    }

    @Override
    public Category category() {
        return Category.REFUND_ANOMALY;
    }

    @Override
    public List<Detection> detect(CustomerHistory h, DetectionContext ctx) {
        if (h.refunds().isEmpty()) return List.of();
        Map<String, Payment> payments = new HashMap<>();
        for (Payment p : h.payments()) payments.put(p.id(), p);
        Map<String, Invoice> invoices = new HashMap<>();
        for (Invoice i : h.invoices()) invoices.put(i.id(), i);
        Map<String, List<Refund>> byPayment = new HashMap<>();
        for (Refund r : h.refunds()) {
            if (!moved(r) || r.createdAt().isAfter(ctx.asOf())) continue;
            byPayment.computeIfAbsent(r.paymentId(), k -> new ArrayList<>()).add(r);
        }
        List<Detection> out = new ArrayList<>();
        for (Map.Entry<String, List<Refund>> e : byPayment.entrySet()) {
            Payment p = payments.get(e.getKey());
            if (p == null) continue; // payment unknown: nothing to compare with
            List<Refund> rs = e.getValue();
            rs.sort(Comparator.comparing(Refund::createdAt).thenComparing(Refund::id));
            Invoice inv = p.invoiceId() == null ? null : invoices.get(p.invoiceId());
            boolean paid = p.status() == PaymentStatus.SUCCEEDED;
            Money refundedBefore = Money.zero(p.amount().currency());
            for (int i = 0; i < rs.size(); i++) {
                Refund r = rs.get(i);
                if (!r.amount().currency().equals(p.amount().currency())) continue;
                Money after = refundedBefore.plus(r.amount());
                String rule = null;
                Money excess;
                String why;
                if (!paid) {
                    excess = r.amount();
                    rule = "refund_of_unpaid";
                    why = "payment " + p.id() + " never succeeded (" + p.status().name().toLowerCase(Locale.ROOT)
                            + (inv != null ? ", invoice " + inv.id() + " is " + inv.status().name().toLowerCase(Locale.ROOT) : "") + ")";
                } else {
                    excess = after.minus(p.amount().max(refundedBefore));
                    why = "refunds total " + after.format() + " against " + p.amount().format() + " paid";
                    if (excess.minor() > config.toleranceMinor()) {
                        rule = "refund_above_paid";
                    } else {
                        for (int j = 0; j < i; j++) {
                            if (rs.get(j).amount().equals(r.amount())
                                    && !r.createdAt().isAfter(Periods.plusDays(rs.get(j).createdAt(), config.duplicateWindowDays()))) {
                                rule = "second_refund_same_payment";
                                excess = r.amount();
                                why = "refund " + rs.get(j).id() + " of " + Periods.day(rs.get(j).createdAt()) + " already returned "
                                        + r.amount().format() + " of payment " + p.id();
                                break;
                            }
                        }
                    }
                }
                refundedBefore = after;
                if (rule == null || excess.minor() <= config.toleranceMinor()) continue;
                List<String> src = new ArrayList<>();
                src.add(r.source());
                src.add(p.source());
                for (int j = 0; j < i; j++) src.add(rs.get(j).source());
                if (inv != null) src.add(inv.source());
                List<Evidence> ev = List.of(new Evidence("refunds stay within what the payment collected",
                        paid ? "at most " + p.amount().format() + " refunded, each amount once" : "no refund of an uncollected payment",
                        r.amount().format() + " refunded on " + Periods.day(r.createdAt()) + "; " + why, src));
                String expl = "Refund " + r.id() + " of " + r.amount().format() + " (" + Periods.day(r.createdAt()) + ", reason "
                        + (r.reason() == null ? "none" : r.reason()) + ") on payment " + p.id() + ": " + why + " → "
                        + excess.format() + " refunded in excess.";
                out.add(new Detection(Category.REFUND_ANOMALY, Kind.LEAK, rule, "refund:" + r.id(), h.customerId(), excess,
                        Money.zero(excess.currency()), ev, expl,
                        "Ask the customer to return the " + excess.format() + " refunded in excess (or net it against the next invoice) and review who approved refund " + r.id() + ".",
                        List.of(Signals.certainty(rule.equals("refund_above_paid") || rule.equals("refund_of_unpaid") ? 0.96 : 0.85,
                                        rule.replace('_', ' ')),
                                Signals.margin(Signals.relative(excess.minor() / (double) Math.max(1, p.amount().minor())),
                                        excess.format() + " in excess"),
                                Signals.persistence(1.0, "the money has left"))));
            }
        }
        return out;
    }

    private static boolean moved(Refund r) {
        String s = r.status() == null ? "succeeded" : r.status().toLowerCase(Locale.ROOT);
        return !(s.equals("failed") || s.equals("canceled") || s.equals("cancelled"));
    }
}
