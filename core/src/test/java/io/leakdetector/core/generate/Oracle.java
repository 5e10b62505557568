package io.leakdetector.core.generate;

import io.leakdetector.core.domain.AppAccount;
import io.leakdetector.core.domain.BillingInterval;
import io.leakdetector.core.domain.Customer;
import io.leakdetector.core.domain.Invoice;
import io.leakdetector.core.domain.InvoiceLine;
import io.leakdetector.core.domain.InvoiceStatus;
import io.leakdetector.core.domain.LineKind;
import io.leakdetector.core.domain.Payment;
import io.leakdetector.core.domain.PaymentMethod;
import io.leakdetector.core.domain.PaymentStatus;
import io.leakdetector.core.domain.Price;
import io.leakdetector.core.domain.PricingScheme;
import io.leakdetector.core.domain.Refund;
import io.leakdetector.core.domain.Subscription;
import io.leakdetector.core.domain.SubscriptionChange;
import io.leakdetector.core.domain.SubscriptionStatus;
import io.leakdetector.core.domain.UsageRecord;
import io.leakdetector.core.finding.Category;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * An independent reading of DESIGN.md §5's conventions over a generated data directory: for each rule category it
 * re-derives, from the files alone, which subjects leak and by how much. The generator's truth must agree with it.
 * Written from the category definitions, not from the generator's code.
 */
final class Oracle {
    static final Duration GRACE = Duration.ofDays(14);

    /** subject → {one-time minor, recurring minor}, per category. */
    final Map<Category, Map<String, long[]>> expected = new EnumMap<>(Category.class);
    private final WorldData d;
    private final YearMonth lastMonth;

    Oracle(WorldData d) {
        this.d = d;
        this.lastMonth = month(d.asOf.minusSeconds(1));
        for (Category c : Category.values()) expected.put(c, new TreeMap<>());
        failedPayments();
        duplicates();
        prices();
        discounts();
        meteredUsage();
        seats();
        missedInvoices();
        unbilledService();
        silentChurn();
        refunds();
        expiringCards();
        legacy();
    }

    private void put(Category c, String subject, long oneTime, long recurring) {
        expected.get(c).put(subject, new long[] {oneTime, recurring});
    }

    static YearMonth month(Instant t) {
        return YearMonth.from(t.atOffset(ZoneOffset.UTC));
    }

    static Instant start(YearMonth m) {
        return m.atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant();
    }

    static Instant plusMonths(Instant t, long n) {
        return t.atOffset(ZoneOffset.UTC).plusMonths(n).toInstant();
    }

    static long div(long amount, long parts) {
        return BigDecimal.valueOf(amount).divide(BigDecimal.valueOf(parts), 0, RoundingMode.HALF_EVEN).longValueExact();
    }

    private Price price(String id) {
        return d.prices.get(id);
    }

    private List<Invoice> invoices(String sub) {
        List<Invoice> l = new ArrayList<>(d.invoicesBySub.getOrDefault(sub, List.of()));
        l.sort(Comparator.comparing(Invoice::createdAt));
        return l;
    }

    private static boolean billingRun(Invoice i) {
        return "subscription_cycle".equals(i.billingReason()) || "subscription_create".equals(i.billingReason());
    }

    private InvoiceLine subscriptionLine(Invoice i) {
        for (InvoiceLine l : d.lines(i)) if (l.kind() == LineKind.SUBSCRIPTION) return l;
        return null;
    }

    // FAILED_PAYMENT: unpaid after failed attempts, past the 14-day grace at the as-of time; amount remaining
    private void failedPayments() {
        for (Invoice i : d.invoices.values()) {
            boolean failed = d.payments(i).stream().anyMatch(p -> p.status() == PaymentStatus.FAILED);
            boolean open = i.status() == InvoiceStatus.OPEN || i.status() == InvoiceStatus.UNCOLLECTIBLE;
            if (failed && open && i.amountRemaining().isPositive() && i.createdAt().plus(GRACE).isBefore(d.asOf)) {
                put(Category.FAILED_PAYMENT, "invoice:" + i.id(), i.amountRemaining().minor(), 0);
            }
        }
    }

    // DUPLICATE_BILLING: a second billing-run invoice for one subscription and period; a second successful charge
    private void duplicates() {
        Map<String, Invoice> firstOfPeriod = new HashMap<>();
        List<Invoice> all = new ArrayList<>(d.invoices.values());
        all.sort(Comparator.comparing(Invoice::createdAt));
        for (Invoice i : all) {
            if (i.subscriptionId() == null || !billingRun(i)) continue;
            String key = i.subscriptionId() + "|" + i.periodStart() + "|" + i.periodEnd();
            if (firstOfPeriod.putIfAbsent(key, i) != null) put(Category.DUPLICATE_BILLING, "invoice:" + i.id(), i.total().minor(), 0);
        }
        for (List<Payment> ps : d.paymentsByInvoice.values()) {
            List<Payment> ok = ps.stream().filter(p -> p.status() == PaymentStatus.SUCCEEDED)
                    .sorted(Comparator.comparing(Payment::attemptedAt)).toList();
            for (int k = 1; k < ok.size(); k++) put(Category.DUPLICATE_BILLING, "payment:" + ok.get(k).id(), ok.get(k).amount().minor(), 0);
        }
    }

    // PRICE_MISMATCH: subscription line below the negotiated amount, or the list amount of the version it names
    private void prices() {
        for (Invoice i : d.invoices.values()) {
            Subscription s = d.subs.get(i.subscriptionId());
            if (s == null) continue;
            for (InvoiceLine l : d.lines(i)) {
                if (l.kind() != LineKind.SUBSCRIPTION) continue;
                if (s.trialEnd() != null && l.periodEnd() != null && !l.periodEnd().isAfter(s.trialEnd())) continue; // trial
                Price p = price(l.priceId());
                long expectedUnit = s.negotiatedUnitAmount() != null ? s.negotiatedUnitAmount().minor() : p.unitAmount().minor();
                if (l.unitAmount().minor() < expectedUnit) {
                    long diff = (expectedUnit - l.unitAmount().minor()) * l.quantity();
                    put(Category.PRICE_MISMATCH, "invoice:" + i.id(), 0, p.interval() == BillingInterval.YEAR ? div(diff, 12) : diff);
                }
            }
        }
    }

    // EXPIRED_DISCOUNT: a discount on an invoice created at or after the discount's end
    private void discounts() {
        for (Invoice i : d.invoices.values()) {
            Subscription s = d.subs.get(i.subscriptionId());
            if (s == null || !i.discount().isPositive()) continue;
            if (s.discountEnd() != null && !i.createdAt().isBefore(s.discountEnd())) {
                Price p = price(subscriptionLine(i).priceId());
                long disc = i.discount().minor();
                put(Category.EXPIRED_DISCOUNT, "invoice:" + i.id(), 0, p.interval() == BillingInterval.YEAR ? div(disc, 12) : disc);
            }
        }
    }

    // UNBILLED_USAGE (metered): usage above the allowance of the month, not billed as overage; last month excluded
    private void meteredUsage() {
        Map<String, Long> used = new TreeMap<>();
        for (UsageRecord u : d.usage) {
            if (u.subscriptionId() == null) continue;
            used.merge(u.subscriptionId() + "@" + month(u.periodStart()), u.quantity(), Long::sum);
        }
        Map<String, Long> billed = new HashMap<>();
        for (Invoice i : d.invoices.values()) {
            for (InvoiceLine l : d.lines(i)) {
                if (l.kind() == LineKind.USAGE) billed.merge(i.subscriptionId() + "@" + month(l.periodStart()), l.quantity(), Long::sum);
            }
        }
        for (Map.Entry<String, Long> e : used.entrySet()) {
            String sub = e.getKey().substring(0, e.getKey().indexOf('@'));
            YearMonth m = YearMonth.parse(e.getKey().substring(e.getKey().indexOf('@') + 1));
            if (!m.isBefore(lastMonth)) continue; // billed in arrears: not due yet
            Price p = price(d.subs.get(sub).priceId());
            long over = e.getValue() - p.includedUnits();
            long unbilled = over - billed.getOrDefault(e.getKey(), 0L);
            if (over > 0 && unbilled > 0) {
                put(Category.UNBILLED_USAGE, "subscription:" + e.getKey(), unbilled * p.overageUnitAmount().minor(), 0);
            }
        }
    }

    /** Quantity in force at {@code t}, from the change history (the row holds only today's quantity). */
    private long quantityAt(Subscription s, Instant t) {
        List<SubscriptionChange> cs = new ArrayList<>(d.changesBySub.getOrDefault(s.id(), List.of()));
        cs.sort(Comparator.comparing(SubscriptionChange::changedAt));
        Long q = null;
        for (SubscriptionChange c : cs) {
            if (c.fromQuantity() == null || c.toQuantity() == null) continue;
            if (!c.changedAt().isAfter(t)) q = c.toQuantity();
            else if (q == null) return c.fromQuantity();
        }
        return q != null ? q : s.quantity();
    }

    /** Whether any subscription of the customer is in force at some moment of [from, to). */
    private boolean liveDuring(String customer, Instant from, Instant to) {
        for (Subscription s : d.subsByCustomer.getOrDefault(customer, List.of())) {
            if (!s.startedAt().isBefore(to)) continue;
            if (s.canceledAt() == null || s.canceledAt().isAfter(from)) return true;
        }
        return false;
    }

    // UNBILLED_USAGE (seats): seats above the billed quantity on 3 days or more of a calendar month
    private void seats() {
        for (Map.Entry<String, List<AppAccount>> e : d.accountsByCustomer.entrySet()) {
            List<Subscription> seatSubs = d.subsByCustomer.getOrDefault(e.getKey(), List.of()).stream()
                    .filter(s -> price(s.priceId()).scheme() == PricingScheme.PER_SEAT).toList();
            if (seatSubs.size() != 1) continue;
            Subscription s = seatSubs.get(0);
            Map<YearMonth, int[]> days = new TreeMap<>();
            Map<YearMonth, Long> maxOver = new HashMap<>();
            for (AppAccount a : e.getValue()) {
                Instant day = a.observedOn().atStartOfDay(ZoneOffset.UTC).toInstant();
                Instant noon = day.plusSeconds(43_200);
                if (s.canceledAt() != null && !noon.isBefore(s.canceledAt())) continue; // no subscription: a service question
                long billed = quantityAt(s, noon);
                if (!"active".equals(a.accessStatus()) || a.seatsInUse() <= billed) continue;
                YearMonth m = YearMonth.from(a.observedOn());
                days.computeIfAbsent(m, k -> new int[1])[0]++;
                maxOver.merge(m, a.seatsInUse() - billed, Math::max);
            }
            for (Map.Entry<YearMonth, int[]> m : days.entrySet()) {
                if (m.getValue()[0] < 3) continue;
                long unit = s.negotiatedUnitAmount() != null ? s.negotiatedUnitAmount().minor() : billedUnit(s, m.getKey());
                put(Category.UNBILLED_USAGE, "subscription:" + s.id() + "@" + m.getKey(), maxOver.get(m.getKey()) * unit, 0);
            }
        }
    }

    private long billedUnit(Subscription s, YearMonth m) {
        for (Invoice i : invoices(s.id())) {
            if (month(i.periodStart()).equals(m) && billingRun(i)) return subscriptionLine(i).unitAmount().minor();
        }
        return price(s.priceId()).unitAmount().minor();
    }

    /**
     * Period starts a subscription owes an invoice for: from its trial end or start, one interval at a time; a
     * cancellation or pause stops the run, a reactivation or resume starts a new run (and a new cycle) at its time.
     */
    private List<Instant> duePeriods(Subscription s) {
        int step = price(s.priceId()).interval().months();
        List<SubscriptionChange> cs = new ArrayList<>(d.changesBySub.getOrDefault(s.id(), List.of()));
        cs.sort(Comparator.comparing(SubscriptionChange::changedAt));
        List<Instant[]> runs = new ArrayList<>(); // [from, to)
        Instant from = s.trialEnd() != null ? s.trialEnd() : s.startedAt();
        for (SubscriptionChange c : cs) {
            switch (c.kind()) {
                case "cancel", "pause" -> {
                    if (from != null) runs.add(new Instant[] {from, c.changedAt()});
                    from = null;
                }
                case "reactivate", "resume" -> from = c.changedAt();
                default -> { }
            }
        }
        if (from != null) runs.add(new Instant[] {from, d.asOf});
        List<Instant> due = new ArrayList<>();
        Instant limit = d.asOf.minus(Duration.ofDays(1));
        for (Instant[] run : runs) {
            for (int n = 0; ; n++) {
                Instant ps = plusMonths(run[0], (long) n * step);
                if (!ps.isBefore(run[1]) || !ps.isBefore(limit)) break;
                due.add(ps);
            }
        }
        return due;
    }

    /** The next period start after the as-of time: the current run's cycle continued. */
    private Instant nextRenewal(Subscription s) {
        Instant anchor = s.trialEnd() != null ? s.trialEnd() : s.startedAt();
        for (SubscriptionChange c : d.changesBySub.getOrDefault(s.id(), List.of())) {
            if (("reactivate".equals(c.kind()) || "resume".equals(c.kind())) && c.changedAt().isAfter(anchor)) anchor = c.changedAt();
        }
        int step = price(s.priceId()).interval().months();
        Instant next = anchor;
        while (next.isBefore(d.asOf)) next = plusMonths(next, step);
        return next;
    }

    // MISSED_INVOICE: a period the subscription owes with no billing-run invoice for it
    private void missedInvoices() {
        for (Subscription s : d.subs.values()) {
            List<Invoice> inv = invoices(s.id());
            java.util.Set<Instant> billed = new java.util.HashSet<>();
            for (Invoice i : inv) if (billingRun(i)) billed.add(i.periodStart());
            for (Instant ps : duePeriods(s)) {
                if (billed.contains(ps)) continue;
                long amount = expectedCharge(s, ps, inv);
                put(Category.MISSED_INVOICE, "subscription:" + s.id() + "@" + month(ps), amount, 0);
            }
        }
    }

    /** The charge of the nearest billed period before {@code ps}, repriced if its version was retired by then. */
    private long expectedCharge(Subscription s, Instant ps, List<Invoice> inv) {
        InvoiceLine before = null;
        for (Invoice i : inv) if (billingRun(i) && i.periodStart().isBefore(ps)) before = subscriptionLine(i);
        Price p = price(before.priceId());
        long unit = before.unitAmount().minor();
        if (s.negotiatedUnitAmount() == null && !s.priceLocked() && p.validTo() != null && !p.validTo().isAfter(ps)) {
            unit = currentVersion(p, ps).unitAmount().minor();
        }
        return unit * before.quantity();
    }

    private Price currentVersion(Price p, Instant t) {
        Price found = p;
        for (Price q : d.prices.values()) {
            if (q.planId().equals(p.planId()) && !q.validFrom().isAfter(t) && (q.validTo() == null || q.validTo().isAfter(t))) found = q;
        }
        return found;
    }

    // UNBILLED_SERVICE: usage or app access in a calendar month while the customer has no subscription in force
    private void unbilledService() {
        for (Customer c : d.customers.values()) {
            Map<YearMonth, Long> seatsUsed = new TreeMap<>();
            Map<YearMonth, String> product = new HashMap<>();
            for (AppAccount a : d.accountsByCustomer.getOrDefault(c.id(), List.of())) {
                if (!"active".equals(a.accessStatus()) || a.seatsInUse() == 0) continue;
                Instant day = a.observedOn().atStartOfDay(ZoneOffset.UTC).toInstant();
                if (liveDuring(c.id(), day, day.plusSeconds(86_400))) continue; // a day with any subscription in force is covered
                YearMonth m = YearMonth.from(a.observedOn());
                seatsUsed.merge(m, a.seatsInUse(), Math::max);
                product.put(m, a.productId());
            }
            for (Map.Entry<YearMonth, Long> e : seatsUsed.entrySet()) {
                put(Category.UNBILLED_SERVICE, "customer:" + c.id() + "@" + e.getKey(), 0,
                        cheapest(product.get(e.getKey()), c.currency().getCurrencyCode(), e.getValue(), start(e.getKey())));
            }
            Map<YearMonth, Long> units = new TreeMap<>();
            for (UsageRecord u : d.usageByCustomer.getOrDefault(c.id(), List.of())) {
                if (u.quantity() == 0) continue;
                boolean covered = u.subscriptionId() != null && liveDuring(c.id(), u.periodStart(), u.periodStart().plusSeconds(1));
                if (!covered) units.merge(month(u.periodStart()), u.quantity(), Long::sum);
            }
            for (Map.Entry<YearMonth, Long> e : units.entrySet()) {
                put(Category.UNBILLED_SERVICE, "customer:" + c.id() + "@" + e.getKey(), 0,
                        cheapest("prod_compute", c.currency().getCurrencyCode(), e.getValue(), start(e.getKey())));
            }
        }
    }

    /** Monthly price of the cheapest plan of a product covering a use (seats, or units for usage plans); annual ÷ 12. */
    long cheapest(String productId, String currency, long use, Instant at) {
        long best = Long.MAX_VALUE;
        for (Price p : d.prices.values()) {
            if (!p.productId().equals(productId) || !p.unitAmount().currencyCode().equals(currency) || !p.validAt(at)) continue;
            long amount = switch (p.scheme()) {
                case PER_SEAT -> p.unitAmount().minor() * use;
                case FLAT -> p.unitAmount().minor();
                case USAGE -> p.unitAmount().minor() + Math.max(0, use - p.includedUnits()) * p.overageUnitAmount().minor();
            };
            best = Math.min(best, p.interval() == BillingInterval.YEAR ? div(amount, 12) : amount);
        }
        return best;
    }

    // SILENT_CHURN: still active or past due, two or more unpaid invoices since the last successful payment
    private void silentChurn() {
        for (Subscription s : d.subs.values()) {
            if (s.status() != SubscriptionStatus.ACTIVE && s.status() != SubscriptionStatus.PAST_DUE) continue;
            List<Invoice> inv = invoices(s.id());
            int unpaidSinceSuccess = 0;
            Invoice last = null;
            for (Invoice i : inv) {
                if (!i.total().isPositive()) continue;
                last = i;
                if (i.status() == InvoiceStatus.PAID) unpaidSinceSuccess = 0;
                else unpaidSinceSuccess++;
            }
            if (unpaidSinceSuccess >= 2) {
                InvoiceLine l = subscriptionLine(last);
                long mrr = l.amount().minor();
                put(Category.SILENT_CHURN, "subscription:" + s.id(), 0,
                        price(l.priceId()).interval() == BillingInterval.YEAR ? div(mrr, 12) : mrr);
            }
        }
    }

    // REFUND_ANOMALY: refunds of one payment adding up to more than it collected; the excess of each later refund
    private void refunds() {
        for (Map.Entry<String, List<Refund>> e : d.refundsByPayment.entrySet()) {
            Payment p = d.payments.get(e.getKey());
            long paid = p.status() == PaymentStatus.SUCCEEDED ? p.amount().minor() : 0;
            long cumulative = 0;
            List<Refund> rs = new ArrayList<>(e.getValue());
            rs.sort(Comparator.comparing(Refund::createdAt));
            for (Refund r : rs) {
                cumulative += r.amount().minor();
                if (cumulative > paid) put(Category.REFUND_ANOMALY, "refund:" + r.id(), Math.min(r.amount().minor(), cumulative - paid), 0);
            }
        }
    }

    // EXPIRING_PAYMENT_METHOD: the default card runs out before the next renewal; amount = that renewal's total
    private void expiringCards() {
        for (Customer c : d.customers.values()) {
            PaymentMethod card = null;
            for (PaymentMethod m : d.methodsByCustomer.getOrDefault(c.id(), List.of())) if (m.isDefault()) card = m;
            if (card == null || card.expires() == null) continue;
            Instant dies = start(card.expires().plusMonths(1));
            for (Subscription s : d.subsByCustomer.getOrDefault(c.id(), List.of())) {
                if (s.status() == SubscriptionStatus.CANCELED || s.status() == SubscriptionStatus.PAUSED) continue;
                Price p = price(s.priceId());
                Instant next = nextRenewal(s);
                if (dies.isAfter(next)) continue;
                Price v = s.priceLocked() ? p : currentVersion(p, next);
                long unit = s.negotiatedUnitAmount() != null ? s.negotiatedUnitAmount().minor() : v.unitAmount().minor();
                long amount = p.scheme() == PricingScheme.PER_SEAT ? unit * s.quantity() : unit;
                put(Category.EXPIRING_PAYMENT_METHOD, "customer:" + c.id(), amount + tax(s, amount), 0);
            }
        }
    }

    /** Tax at the rate the customer's latest taxed invoice shows. */
    private long tax(Subscription s, long amount) {
        Invoice latest = null;
        for (Invoice i : invoices(s.id())) if (i.subtotal().minus(i.discount()).isPositive()) latest = i;
        if (latest == null) return 0;
        long taxable = latest.subtotal().minus(latest.discount()).minor();
        BigDecimal rate = BigDecimal.valueOf(latest.tax().minor()).divide(BigDecimal.valueOf(taxable), 4, RoundingMode.HALF_EVEN);
        return BigDecimal.valueOf(amount).multiply(rate).setScale(0, RoundingMode.HALF_EVEN).longValueExact();
    }

    // LEGACY_PRICE: still on a retired version after a renewal since it retired, not price-locked; list − paid
    private void legacy() {
        for (Subscription s : d.subs.values()) {
            if (s.status() == SubscriptionStatus.CANCELED || s.priceLocked() || s.negotiatedUnitAmount() != null) continue;
            Price p = price(s.priceId());
            if (p.validTo() == null || p.validTo().isAfter(d.asOf)) continue;
            boolean renewedSince = invoices(s.id()).stream().anyMatch(i -> billingRun(i) && !i.periodStart().isBefore(p.validTo()));
            if (!renewedSince) continue;
            Price list = currentVersion(p, d.asOf.minusSeconds(1));
            long diff = (list.unitAmount().minor() - p.unitAmount().minor()) * (p.scheme() == PricingScheme.PER_SEAT ? s.quantity() : 1);
            if (diff > 0) put(Category.LEGACY_PRICE, "subscription:" + s.id(), 0, p.interval() == BillingInterval.YEAR ? div(diff, 12) : diff);
        }
    }

    static LocalDate day(Instant t) {
        return t.atOffset(ZoneOffset.UTC).toLocalDate();
    }
}
