package io.leakdetector.core.detect;

import io.leakdetector.core.domain.Invoice;
import io.leakdetector.core.domain.InvoiceLine;
import io.leakdetector.core.domain.Payment;
import io.leakdetector.core.domain.PaymentStatus;
import io.leakdetector.core.finding.Category;
import io.leakdetector.core.finding.Evidence;
import io.leakdetector.core.finding.Kind;
import io.leakdetector.core.ingest.EntityKind;
import io.leakdetector.core.money.Money;
import io.leakdetector.core.util.Repeats;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * DUPLICATE_BILLING: a second invoice for the same subscription and the same service period, or a second
 * successful charge for one invoice beyond its total. The later invoice (or the later payment) is the subject.
 * Proration and plan-change invoices share a month with the regular one and are not duplicates; a voided or
 * fully credited second invoice was already corrected.
 */
public final class DuplicateBillingDetector implements Detector {
    private static final Set<EntityKind> READS = Set.copyOf(EnumSet.of(EntityKind.INVOICES, EntityKind.INVOICE_LINES, EntityKind.PAYMENTS, EntityKind.REFUNDS, EntityKind.CREDIT_NOTES));
    /** @param toleranceMinor an overpayment up to this many minor units is rounding (default 0) */
    public record Config(long toleranceMinor) {
        public static final Config DEFAULTS = new Config(0);
    }

    private final Config config;

    public DuplicateBillingDetector(Config config) {
        this.config = config;
    }

    public DuplicateBillingDetector() {
        this(Config.DEFAULTS);
    }

    @Override
    public Set<EntityKind> reads() {
        return READS;
    }

    @Override
    public Category category() {
        return Category.DUPLICATE_BILLING;
    }

    @Override
    public List<Detection> detect(CustomerHistory h, DetectionContext ctx) {
        List<Detection> out = new ArrayList<>();
        duplicateInvoices(h, out);
        duplicateCharges(h, out);
        return out;
    }

    private void duplicateInvoices(CustomerHistory h, List<Detection> out) {
        if (h.invoices().size() < 2) return;
        record Key(String subscriptionId, LocalDate start, java.util.Currency currency) {}
        int n = h.invoices().size();
        Invoice[] candidates = new Invoice[n];
        Instant[] serviceStarts = new Instant[n];
        long[] keys = new long[n];
        int k = 0;
        for (Invoice inv : h.invoices()) {
            if (inv.subscriptionId() == null || Billing.isVoid(inv) || !inv.total().isPositive()) continue;
            List<InvoiceLine> lines = h.lines(inv.id());
            if (Billing.isProrationOnly(inv, lines)) continue;
            if (Billing.credited(inv, h.creditNotesFor(inv.id())).compareTo(inv.total()) >= 0) continue;
            Instant serviceStart = Billing.servicePeriodStart(inv, lines);
            if (serviceStart == null) continue; // a one-off charge bills no period, so it cannot bill one twice
            candidates[k] = inv;
            serviceStarts[k] = serviceStart;
            // equal for invoices of one Key (and, rarely, for others): no repeat, no invoice billed twice
            keys[k++] = (Math.floorDiv(serviceStart.getEpochSecond(), 86_400L) * 31 + inv.subscriptionId().hashCode()) * 31
                    + inv.currency().hashCode();
        }
        // Most customers bill no period twice: a sort of those keys tells, before any group is built (the groups, in a
        // map keyed by a record whose hash puts a subscription's months in one bucket, cost more than the rest)
        if (!Repeats.sortAndFind(keys, k)) return;
        // the same map as ever, filled in the same order, so the groups come out in the same order
        Map<Key, List<Invoice>> byKey = new HashMap<>();
        Map<String, Instant> starts = new HashMap<>();
        for (int i = 0; i < k; i++) {
            Invoice inv = candidates[i];
            starts.put(inv.id(), serviceStarts[i]);
            LocalDate start = Periods.day(serviceStarts[i]);
            byKey.computeIfAbsent(new Key(inv.subscriptionId(), start, inv.currency()), x -> new ArrayList<>(2)).add(inv);
        }
        for (List<Invoice> group : byKey.values()) {
            if (group.size() < 2) continue;
            group.sort(Comparator.comparing(Invoice::createdAt).thenComparing(Invoice::id));
            Invoice first = group.get(0);
            for (int i = 1; i < group.size(); i++) {
                Invoice dup = group.get(i);
                String period = Periods.day(starts.get(dup.id())).toString();
                List<Evidence> ev = List.of(
                        new Evidence("one invoice per subscription and period", "1 invoice for subscription "
                                + dup.subscriptionId() + " period " + period,
                                "invoices " + first.id() + " (" + Periods.day(first.createdAt()) + ", " + first.total().format()
                                        + ") and " + dup.id() + " (" + Periods.day(dup.createdAt()) + ", " + dup.total().format() + ")",
                                List.of(first.source(), dup.source())));
                String expl = "Invoice " + dup.id() + " bills subscription " + dup.subscriptionId() + " for the period starting "
                        + Periods.day(starts.get(dup.id())) + " a second time: invoice " + first.id() + " of "
                        + Periods.day(first.createdAt()) + " already billed it; " + dup.total().format() + " billed twice.";
                boolean paid = Billing.collected(dup, h.paymentsFor(dup.id())).isPositive();
                List<Detection.Signal> signals = List.of(
                        Signals.certainty(first.total().equals(dup.total()) ? 0.97 : 0.85,
                                first.total().equals(dup.total()) ? "same period and same total" : "same period, totals differ"),
                        Signals.margin(1.0, "a whole invoice billed twice"),
                        Signals.persistence(paid ? 1.0 : 0.7, paid ? "the duplicate was collected (refund or dispute exposure)"
                                : "the duplicate is not collected yet"));
                out.add(new Detection(Category.DUPLICATE_BILLING, Kind.LEAK, "second_invoice_same_period",
                        "invoice:" + dup.id(), h.customerId(), dup.total(), Money.zero(dup.currency()), ev, expl,
                        paid ? "Refund or credit the duplicate invoice " + dup.id() + " before the customer disputes it, and fix the billing run that issued it."
                                : "Void duplicate invoice " + dup.id() + " before it is collected, and fix the billing run that issued it.",
                        signals));
            }
        }
    }

    private void duplicateCharges(CustomerHistory h, List<Detection> out) {
        if (h.payments().size() < 2) return;
        // Most customers pay each invoice once: the sorted hashes of the invoice ids of successful payments tell, before
        // any group is built (the same groups as ever otherwise; an equal hash only sends the customer the old way)
        int[] hashes = new int[h.payments().size()];
        int paid = 0;
        for (Payment p : h.payments()) {
            if (p.invoiceId() != null && p.status() == PaymentStatus.SUCCEEDED) hashes[paid++] = p.invoiceId().hashCode();
        }
        if (!Repeats.sortAndFind(hashes, paid)) return;
        Map<String, List<Payment>> byInvoice = new HashMap<>();
        for (Payment p : h.payments()) {
            if (p.invoiceId() == null || p.status() != PaymentStatus.SUCCEEDED) continue;
            byInvoice.computeIfAbsent(p.invoiceId(), k -> new ArrayList<>()).add(p);
        }
        // a charge already refunded (wholly or partly) was given back: only what is still held can be charged twice
        Map<String, Money> refunded = new HashMap<>();
        for (io.leakdetector.core.domain.Refund r : h.refunds()) {
            String st = r.status() == null ? "succeeded" : r.status().toLowerCase(java.util.Locale.ROOT);
            if (r.paymentId() == null || st.equals("failed") || st.startsWith("cancel")) continue;
            refunded.merge(r.paymentId(), r.amount(), (a, b) -> a.currency().equals(b.currency()) ? a.plus(b) : a);
        }
        Map<String, Invoice> invoices = null;
        for (Map.Entry<String, List<Payment>> e : byInvoice.entrySet()) {
            List<Payment> ps = e.getValue();
            if (ps.size() < 2) continue;
            if (invoices == null) {
                invoices = new HashMap<>();
                for (Invoice i : h.invoices()) invoices.put(i.id(), i);
            }
            Invoice inv = invoices.get(e.getKey());
            if (inv == null) continue;
            ps.sort(Comparator.comparing(Payment::attemptedAt).thenComparing(Payment::id));
            Money running = Money.zero(inv.currency());
            for (int i = 0; i < ps.size(); i++) {
                Payment p = ps.get(i);
                if (!p.amount().currency().equals(inv.currency())) continue;
                Money before = running;
                Money back = refunded.get(p.id());
                Money held = back != null && back.currency().equals(p.amount().currency()) ? p.amount().minus(back.min(p.amount())) : p.amount();
                running = running.plus(held);
                if (i == 0) continue;
                Money excess = running.minus(inv.total().max(before));
                if (excess.minor() <= config.toleranceMinor()) continue;
                Money dupAmount = excess.min(held);
                Payment firstOk = ps.get(0);
                List<Evidence> ev = List.of(new Evidence("one successful charge per invoice",
                        inv.total().format() + " collected for invoice " + inv.id(),
                        running.format() + " collected: " + firstOk.id() + " (" + Periods.day(firstOk.attemptedAt()) + ") and "
                                + p.id() + " (" + Periods.day(p.attemptedAt()) + ")",
                        List.of(inv.source(), firstOk.source(), p.source())));
                String expl = "Payment " + p.id() + " charged " + p.amount().format() + " on " + Periods.day(p.attemptedAt())
                        + " for invoice " + inv.id() + " of " + inv.total().format() + ", which payment " + firstOk.id()
                        + " had already paid; " + dupAmount.format() + " was charged twice.";
                out.add(new Detection(Category.DUPLICATE_BILLING, Kind.LEAK, "second_successful_charge",
                        "payment:" + p.id(), h.customerId(), dupAmount, Money.zero(inv.currency()), ev, expl,
                        "Refund the second charge " + p.id() + " proactively (before a dispute) and check the payment retry logic.",
                        List.of(Signals.certainty(0.97, "two successful charges recorded for one invoice"),
                                Signals.margin(Signals.relative(dupAmount.minor() / (double) Math.max(1, inv.total().minor())),
                                        dupAmount.format() + " above the invoice total"),
                                Signals.persistence(1.0, "the money was collected"))));
            }
        }
    }
}
