package io.leakdetector.core.detect;

import io.leakdetector.core.domain.AppAccount;
import io.leakdetector.core.domain.BillingInterval;
import io.leakdetector.core.domain.CreditNote;
import io.leakdetector.core.domain.Customer;
import io.leakdetector.core.domain.Dispute;
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
import io.leakdetector.core.money.Money;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Currency;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Test-data builder for one customer's history: readable defaults, fixed instants, no positional nulls. */
final class HistoryBuilder {
    static final Currency USD = Currency.getInstance("USD");
    static final String CUS = "cus_1";

    static Instant t(String date) {
        return date.length() == 10 ? Instant.parse(date + "T00:00:00Z") : Instant.parse(date);
    }

    static Money usd(String amount) {
        return Money.parse(amount, USD);
    }

    // ---- prices ----
    static final class P {
        String id = "price_pro_v1", plan = "pro", product = "prod_pro", metric;
        BillingInterval interval = BillingInterval.MONTH;
        PricingScheme scheme = PricingScheme.PER_SEAT;
        Money unit = usd("79.00"), overage;
        long included;
        Instant from = t("2024-01-01"), to;

        static P price(String id) {
            P p = new P();
            p.id = id;
            return p;
        }

        P plan(String plan) { this.plan = plan; return this; }
        P product(String product) { this.product = product; return this; }
        P unit(String amount) { this.unit = usd(amount); return this; }
        P flat() { this.scheme = PricingScheme.FLAT; return this; }
        P annual() { this.interval = BillingInterval.YEAR; return this; }
        P usage(String metric, long included, String overage) {
            this.scheme = PricingScheme.USAGE;
            this.metric = metric;
            this.included = included;
            this.overage = usd(overage);
            return this;
        }
        P valid(String from, String to) { this.from = t(from); this.to = to == null ? null : t(to); return this; }

        Price build() {
            return new Price(id, plan, product, "Pro", interval, scheme, unit, included, overage, metric, from, to, "prices.csv:" + id);
        }
    }

    // ---- subscriptions ----
    static final class S {
        String id = "sub_1", price = "price_pro_v1", contract;
        long qty = 1;
        Money negotiated;
        BigDecimal discount;
        Instant discountEnd, started = t("2025-01-01"), trialEnd, canceled;
        SubscriptionStatus status = SubscriptionStatus.ACTIVE;
        boolean locked;

        static S sub(String id) {
            S s = new S();
            s.id = id;
            return s;
        }

        S price(String p) { price = p; return this; }
        S qty(long q) { qty = q; return this; }
        S negotiated(String a, String contractId) { negotiated = usd(a); contract = contractId; return this; }
        S discount(String pct, String end) { discount = new BigDecimal(pct); discountEnd = end == null ? null : t(end); return this; }
        S started(String d) { started = t(d); return this; }
        S trialEnd(String d) { trialEnd = t(d); return this; }
        S canceled(String d) { canceled = t(d); status = SubscriptionStatus.CANCELED; return this; }
        S status(SubscriptionStatus s) { status = s; return this; }
        S locked() { locked = true; return this; }

        Subscription build() {
            return new Subscription(id, CUS, price, qty, negotiated, discount, discountEnd, status, started, trialEnd, canceled,
                    locked, contract, null, "subscriptions.csv:" + id);
        }
    }

    final List<Subscription> subs = new ArrayList<>();
    final List<SubscriptionChange> changes = new ArrayList<>();
    final List<Invoice> invoices = new ArrayList<>();
    final Map<String, List<InvoiceLine>> lines = new LinkedHashMap<>();
    final List<Payment> payments = new ArrayList<>();
    final List<Refund> refunds = new ArrayList<>();
    final List<CreditNote> notes = new ArrayList<>();
    final List<Dispute> disputes = new ArrayList<>();
    final List<UsageRecord> usage = new ArrayList<>();
    final List<AppAccount> apps = new ArrayList<>();
    final List<PaymentMethod> methods = new ArrayList<>();
    private int seq;

    HistoryBuilder sub(S s) {
        subs.add(s.build());
        return this;
    }

    HistoryBuilder change(String subId, String at, String kind, String fromPrice, String toPrice, Long fromQty, Long toQty) {
        changes.add(new SubscriptionChange("sc_" + (++seq), subId, t(at), kind, fromPrice, toPrice, fromQty, toQty, "subscription_changes.csv:" + seq));
        return this;
    }

    /** One invoice line to add to an invoice being built. */
    record L(LineKind kind, String priceId, long qty, Money unit, Money amount, Instant from, Instant to) {
        static L sub(String priceId, long qty, String unit) {
            Money u = usd(unit);
            return new L(LineKind.SUBSCRIPTION, priceId, qty, u, u.times(qty), null, null);
        }

        static L usage(long qty, String unit, String month) {
            Money u = usd(unit);
            YearMonth m = YearMonth.parse(month);
            return new L(LineKind.USAGE, null, qty, u, u.times(qty), t(m.atDay(1).toString()), t(m.plusMonths(1).atDay(1).toString()));
        }

        /** Usage billed for an arbitrary rating period [from, to) (a subscription anchored off the 1st). */
        static L usageFor(long qty, String unit, String from, String to) {
            Money u = usd(unit);
            return new L(LineKind.USAGE, null, qty, u, u.times(qty), t(from), t(to));
        }

        static L discount(String amount) {
            Money a = usd(amount).negate();
            return new L(LineKind.DISCOUNT, null, 1, a, a, null, null);
        }

        static L proration(String priceId, long qty, String amount) {
            Money a = usd(amount);
            return new L(LineKind.PRORATION, priceId, qty, a, a, null, null);
        }

        static L credit(String amount) {
            Money a = usd(amount).negate();
            return new L(LineKind.CREDIT, null, 1, a, a, null, null);
        }
    }

    /** An invoice of a subscription for [from, to), created at {@code from}; status paid with amount_paid = total when paid. */
    HistoryBuilder invoice(String id, String subId, String from, String to, boolean paid, L... ls) {
        return invoice(id, subId, from, from, to, paid, "0.00", ls);
    }

    HistoryBuilder invoice(String id, String subId, String created, String from, String to, boolean paid, String invoiceDiscount, L... ls) {
        Money subtotal = Money.zero(USD);
        List<InvoiceLine> out = new ArrayList<>();
        int n = 0;
        for (L l : ls) {
            n++;
            out.add(new InvoiceLine(id + "_" + n, id, l.kind(), l.priceId(), null, l.qty(), l.unit(), l.amount(),
                    l.from() != null ? l.from() : from == null ? null : t(from), l.to() != null ? l.to() : to == null ? null : t(to),
                    "invoice_lines.csv:" + id + "_" + n));
            if (l.kind() != LineKind.DISCOUNT) subtotal = subtotal.plus(l.amount());
        }
        Money disc = usd(invoiceDiscount);
        for (L l : ls) if (l.kind() == LineKind.DISCOUNT) disc = disc.plus(l.amount().abs());
        Money total = subtotal.minus(disc);
        invoices.add(new Invoice(id, CUS, subId, paid ? InvoiceStatus.PAID : InvoiceStatus.OPEN, t(created),
                from == null ? null : t(from), to == null ? null : t(to), USD, subtotal, disc, Money.zero(USD), total,
                paid ? total : Money.zero(USD), "subscription_cycle", "invoices.csv:" + id));
        lines.put(id, out);
        return this;
    }

    /** A paid monthly invoice per month from {@code first} to {@code last} inclusive, with a successful payment each. */
    HistoryBuilder monthly(String subId, String priceId, long qty, String unit, String first, String last) {
        for (YearMonth m = YearMonth.parse(first); !m.isAfter(YearMonth.parse(last)); m = m.plusMonths(1)) {
            String id = "in_" + subId + "_" + m;
            invoice(id, subId, m.atDay(1).toString(), m.plusMonths(1).atDay(1).toString(), true, L.sub(priceId, qty, unit));
            Invoice inv = invoices.get(invoices.size() - 1);
            pay("py_" + id, id, inv.createdAt().plusSeconds(60).toString(), inv.total().toPlainString(), PaymentStatus.SUCCEEDED, null, 1);
        }
        return this;
    }

    /** Rewrites an invoice's invoice-level period (null for none) and billing reason, keeping its lines' periods. */
    HistoryBuilder invoicePeriod(String invoiceId, String from, String to, String reason) {
        invoices.replaceAll(i -> !i.id().equals(invoiceId) ? i : new Invoice(i.id(), i.customerId(), i.subscriptionId(), i.status(),
                i.createdAt(), from == null ? null : t(from), to == null ? null : t(to), i.currency(), i.subtotal(), i.discount(),
                i.tax(), i.total(), i.amountPaid(), reason, i.source()));
        return this;
    }

    /** A paid invoice of {@code amount} with no lines and no period (a setup fee, a manual one-off). */
    HistoryBuilder oneOff(String id, String subId, String created, String amount) {
        Money a = usd(amount);
        invoices.add(new Invoice(id, CUS, subId, InvoiceStatus.PAID, t(created), null, null, USD, a, Money.zero(USD), Money.zero(USD),
                a, a, "manual", "invoices.csv:" + id));
        lines.put(id, new ArrayList<>());
        return this;
    }

    /** Exports without the amount_paid column: every invoice reads amount_paid 0 whatever its status. */
    HistoryBuilder withoutAmountPaid() {
        invoices.replaceAll(i -> new Invoice(i.id(), i.customerId(), i.subscriptionId(), i.status(), i.createdAt(), i.periodStart(),
                i.periodEnd(), i.currency(), i.subtotal(), i.discount(), i.tax(), i.total(), Money.zero(i.currency()),
                i.billingReason(), i.source()));
        return this;
    }

    HistoryBuilder pay(String id, String invoiceId, String at, String amount, PaymentStatus status, String decline, int attempt) {
        payments.add(new Payment(id, invoiceId, CUS, t(at), usd(amount), status, decline, "pm_1", attempt, "payments.csv:" + id));
        return this;
    }

    HistoryBuilder refund(String id, String paymentId, String at, String amount, String reason) {
        refunds.add(new Refund(id, paymentId, null, t(at), usd(amount), reason, "succeeded", "refunds.csv:" + id));
        return this;
    }

    HistoryBuilder creditNote(String id, String invoiceId, String at, String amount, String reason) {
        notes.add(new CreditNote(id, invoiceId, CUS, t(at), usd(amount), reason, "credit_notes.csv:" + id));
        return this;
    }

    HistoryBuilder usage(String subId, String metric, String month, long qty) {
        usage.add(new UsageRecord("u_" + (++seq), CUS, subId, metric, t(month + "-01"), qty, "usage.csv:" + seq));
        return this;
    }

    /** One usage record per day from {@code from} to {@code to} inclusive of {@code perDay} units. */
    HistoryBuilder dailyUsage(String subId, String metric, String from, String to, long perDay) {
        for (LocalDate d = LocalDate.parse(from); !d.isAfter(LocalDate.parse(to)); d = d.plusDays(1)) {
            usage.add(new UsageRecord("u_" + (++seq), CUS, subId, metric, t(d.toString()), perDay, "usage.csv:" + seq));
        }
        return this;
    }

    /** One app account observed every day from {@code from} to {@code to} inclusive with {@code seats} seats. */
    HistoryBuilder seats(String product, String from, String to, long seats) {
        for (LocalDate d = LocalDate.parse(from); !d.isAfter(LocalDate.parse(to)); d = d.plusDays(1)) {
            apps.add(new AppAccount("acct_1", CUS, product, d, seats, "active", "app_accounts.csv:" + d));
        }
        return this;
    }

    HistoryBuilder card(String id, String expires, boolean isDefault) {
        methods.add(new PaymentMethod(id, CUS, "card", "visa", YearMonth.parse(expires), isDefault, "payment_methods.csv:" + id));
        return this;
    }

    CustomerHistory build() {
        Customer c = new Customer(CUS, "Acme", null, "smb", "EMEA", "DE", USD, t("2024-12-01"), "customers.csv:2");
        return new CustomerHistory(CUS, c, subs, changes, invoices, lines, payments, refunds, notes, disputes, usage, apps, methods);
    }

    static DetectionContext ctx(String asOf, P... prices) {
        List<Price> ps = new ArrayList<>();
        for (P p : prices) ps.add(p.build());
        return new DetectionContext(t(asOf), new PriceBook(ps), SegmentNorms.EMPTY);
    }
}
