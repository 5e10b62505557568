package io.leakdetector.core.detect;

import io.leakdetector.core.domain.Invoice;
import io.leakdetector.core.domain.InvoiceStatus;
import io.leakdetector.core.domain.Payment;
import io.leakdetector.core.domain.PaymentStatus;
import io.leakdetector.core.domain.Sourced;
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
 * FAILED_PAYMENT: an invoice still (partly) unpaid after at least one declined attempt, once the grace period
 * from the invoice date has run out. The last decline's class (soft, hard, authentication, fraud) picks the action.
 */
public final class FailedPaymentDetector implements Detector {
    private static final Set<EntityKind> READS = Set.copyOf(EnumSet.of(EntityKind.INVOICES, EntityKind.PAYMENTS, EntityKind.CREDIT_NOTES));
    /**
     * @param graceDays days after the invoice date during which retries may still collect (default 14)
     * @param toleranceMinor unpaid remainders up to this many minor units are rounding, not a leak (default 0)
     */
    public record Config(int graceDays, long toleranceMinor) {
        public static final Config DEFAULTS = new Config(14, 0);
    }

    private final Config config;

    public FailedPaymentDetector(Config config) {
        this.config = config;
    }

    public FailedPaymentDetector() {
        this(Config.DEFAULTS);
    }

    @Override
    public Set<EntityKind> reads() {
        return READS;
    }

    @Override
    public Category category() {
        return Category.FAILED_PAYMENT;
    }

    private static boolean anyFailed(List<Payment> attempts) {
        for (Payment p : attempts) if (p.status() == PaymentStatus.FAILED) return true;
        return false;
    }

    @Override
    public List<Detection> detect(CustomerHistory h, DetectionContext ctx) {
        List<Detection> out = new ArrayList<>();
        for (Invoice inv : h.invoices()) {
            if (inv.status() == InvoiceStatus.VOID || inv.status() == InvoiceStatus.DRAFT) continue;
            if (!inv.total().isPositive()) continue;
            List<Payment> attempts = h.paymentsFor(inv.id());
            if (!anyFailed(attempts)) continue; // most invoices: no grace end, no list
            Instant graceEnd = Periods.plusDays(inv.createdAt(), config.graceDays());
            if (ctx.asOf().isBefore(graceEnd)) continue; // retries may still succeed
            List<Payment> failed = new ArrayList<>();
            for (Payment p : attempts) if (p.status() == PaymentStatus.FAILED && !p.attemptedAt().isAfter(ctx.asOf())) failed.add(p);
            if (failed.isEmpty()) continue;
            Money collected = Billing.collected(inv, attempts);
            Money credited = Billing.credited(inv, h.creditNotesFor(inv.id()));
            Money remaining = inv.total().minus(collected).minus(credited);
            if (remaining.minor() <= config.toleranceMinor()) continue;
            failed.sort(Comparator.comparing(Payment::attemptedAt).thenComparingInt(Payment::attempt));
            Payment last = failed.get(failed.size() - 1);
            DeclineClass dc = DeclineClass.of(last.declineCode());
            String code = last.declineCode() == null ? "no decline code" : last.declineCode();
            long overdue = Periods.daysBetween(graceEnd, ctx.asOf());

            List<String> src = new ArrayList<>();
            src.add(inv.source());
            for (Payment p : failed) src.add(p.source());
            List<Evidence> ev = new ArrayList<>();
            ev.add(new Evidence("invoice unpaid after the grace period", "paid by " + Periods.day(graceEnd)
                    + " (" + config.graceDays() + " days after " + Periods.day(inv.createdAt()) + ")",
                    remaining.format() + " of " + inv.total().format() + " unpaid at " + Periods.day(ctx.asOf()),
                    List.of(inv.source())));
            ev.add(new Evidence("declined attempts", "a successful payment", failed.size() + " declined, last "
                    + Periods.day(last.attemptedAt()) + " with " + code + " (" + dc.wire() + " decline)", Sourced.sources(failed)));
            if (credited.isPositive()) {
                ev.add(new Evidence("credit notes lower what is owed", null, credited.format() + " credited", List.of()));
            }
            String explanation = "Invoice " + inv.id() + " of " + inv.total().format() + " (" + Periods.day(inv.createdAt())
                    + ") is still unpaid: " + remaining.format() + " remain after " + Billing.plural(failed.size(), "declined attempt")
                    + ", the last on " + Periods.day(last.attemptedAt()) + " with " + code + " (" + dc.wire()
                    + " decline); the " + config.graceDays() + "-day grace ended " + Periods.day(graceEnd) + ".";
            List<Detection.Signal> signals = List.of(
                    Signals.certainty(inv.status() == InvoiceStatus.UNCOLLECTIBLE ? 1.0 : 0.95,
                            "declined attempts recorded and the invoice is " + inv.status().name().toLowerCase()),
                    Signals.margin(Signals.relative(remaining.minor() / (double) inv.total().minor()),
                            remaining.format() + " of " + inv.total().format() + " unpaid"),
                    Signals.persistence(Math.min(1, 0.5 + overdue / 60.0), overdue + " days past the grace period"));
            out.add(new Detection(Category.FAILED_PAYMENT, Kind.LEAK, "unpaid_after_decline", "invoice:" + inv.id(),
                    h.customerId(), remaining, Money.zero(inv.currency()), ev, explanation,
                    dc.action() + " (last decline: " + code + ")", signals));
        }
        return out;
    }
}
