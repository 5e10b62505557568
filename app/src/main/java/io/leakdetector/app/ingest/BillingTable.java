package io.leakdetector.app.ingest;

import io.leakdetector.core.domain.AppAccount;
import io.leakdetector.core.domain.ChangeEvent;
import io.leakdetector.core.domain.CreditNote;
import io.leakdetector.core.domain.Customer;
import io.leakdetector.core.domain.Dispute;
import io.leakdetector.core.domain.Invoice;
import io.leakdetector.core.domain.InvoiceLine;
import io.leakdetector.core.domain.Payment;
import io.leakdetector.core.domain.PaymentMethod;
import io.leakdetector.core.domain.Price;
import io.leakdetector.core.domain.Subscription;
import io.leakdetector.core.domain.SubscriptionChange;
import io.leakdetector.core.domain.UsageRecord;
import io.leakdetector.core.ingest.EntityKind;
import io.leakdetector.core.money.Money;
import java.time.LocalDate;
import java.util.Currency;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * How the records of one {@link EntityKind} map to the columns of its table (V1__billing_data.sql). The key
 * columns come first; {@code values} yields the domain columns in order, and the writer appends the
 * provenance columns ({@link #PROVENANCE}).
 *
 * @param lookupValue the value of the first key column (app_accounts: the account id; its key also has the day)
 * @param keyRange    for a two-column key, the second key value (the day), used to bound key look-ups
 */
record BillingTable<T>(EntityKind kind, String table, List<String> columns, List<String> keyColumns,
                       Function<T, Object[]> values, Function<T, String> lookupValue,
                       Function<T, LocalDate> keyRange) {

    static final List<String> PROVENANCE = List.of("source_file", "source_line", "content_hash", "import_id");

    private static final Map<EntityKind, BillingTable<?>> ALL = new EnumMap<>(EntityKind.class);

    /** The table name without its file's ".csv", as rejection messages name it ("not found in customers"). */
    String entityName() {
        return kind.fileName().substring(0, kind.fileName().length() - 4);
    }

    String idColumn() {
        return keyColumns.get(0);
    }

    List<String> allColumns() {
        return java.util.stream.Stream.concat(columns.stream(), PROVENANCE.stream()).toList();
    }

    static BillingTable<?> of(EntityKind kind) {
        return ALL.get(kind);
    }

    @SuppressWarnings("unchecked")
    static <T> BillingTable<T> of(EntityKind kind, Class<T> type) {
        return (BillingTable<T>) ALL.get(kind);
    }

    private static <T> void single(EntityKind kind, String table, Function<T, String> id, Function<T, Object[]> values,
                                   String... columns) {
        List<String> cols = List.of(columns);
        ALL.put(kind, new BillingTable<>(kind, table, cols, List.of(cols.get(0)), values, id, null));
    }

    private static Long minor(Money m) {
        return m == null ? null : m.minor();
    }

    private static String code(Currency c) {
        return c == null ? null : c.getCurrencyCode();
    }

    private static String wire(Enum<?> e) {
        return e == null ? null : e.name().toLowerCase(Locale.ROOT);
    }

    static {
        BillingTable.<Customer>single(EntityKind.CUSTOMERS, "customers", Customer::id,
                c -> new Object[] {c.id(), c.name(), c.email(), c.segment(), c.region(), c.country(), code(c.currency()),
                        c.createdAt()},
                "customer_id", "name", "email", "segment", "region", "country", "currency", "created_at");
        BillingTable.<Price>single(EntityKind.PRICES, "prices", Price::id,
                p -> new Object[] {p.id(), p.planId(), p.productId(), p.productName(), wire(p.interval()), wire(p.scheme()),
                        code(p.unitAmount().currency()), p.unitAmount().minor(), p.includedUnits(),
                        minor(p.overageUnitAmount()), p.usageMetric(), p.validFrom(), p.validTo()},
                "price_id", "plan_id", "product_id", "product_name", "billing_interval", "scheme", "currency",
                "unit_amount_minor", "included_units", "overage_unit_amount_minor", "usage_metric", "valid_from", "valid_to");
        BillingTable.<Subscription>single(EntityKind.SUBSCRIPTIONS, "subscriptions", Subscription::id,
                s -> new Object[] {s.id(), s.customerId(), s.priceId(), s.quantity(),
                        s.negotiatedUnitAmount() == null ? null : code(s.negotiatedUnitAmount().currency()),
                        minor(s.negotiatedUnitAmount()), s.discountPercent(), s.discountEnd(), wire(s.status()),
                        s.startedAt(), s.trialEnd(), s.canceledAt(), s.priceLocked(), s.contractId(), s.note()},
                "subscription_id", "customer_id", "price_id", "quantity", "currency", "unit_amount_minor",
                "discount_percent", "discount_end", "status", "started_at", "trial_end", "canceled_at", "price_locked",
                "contract_id", "note");
        BillingTable.<SubscriptionChange>single(EntityKind.SUBSCRIPTION_CHANGES, "subscription_changes", SubscriptionChange::id,
                c -> new Object[] {c.id(), c.subscriptionId(), c.changedAt(), c.kind(), c.fromPriceId(), c.toPriceId(),
                        c.fromQuantity(), c.toQuantity()},
                "change_id", "subscription_id", "changed_at", "kind", "from_price_id", "to_price_id", "from_quantity",
                "to_quantity");
        BillingTable.<Invoice>single(EntityKind.INVOICES, "invoices", Invoice::id,
                i -> new Object[] {i.id(), i.customerId(), i.subscriptionId(), wire(i.status()), i.createdAt(),
                        i.periodStart(), i.periodEnd(), code(i.currency()), i.subtotal().minor(), i.discount().minor(),
                        i.tax().minor(), i.total().minor(), i.amountPaid().minor(), i.billingReason()},
                "invoice_id", "customer_id", "subscription_id", "status", "created_at", "period_start", "period_end",
                "currency", "subtotal_minor", "discount_minor", "tax_minor", "total_minor", "amount_paid_minor",
                "billing_reason");
        BillingTable.<InvoiceLine>single(EntityKind.INVOICE_LINES, "invoice_lines", InvoiceLine::id,
                l -> new Object[] {l.id(), l.invoiceId(), wire(l.kind()), l.priceId(), l.description(), l.quantity(),
                        code(l.unitAmount().currency()), l.unitAmount().minor(), l.amount().minor(), l.periodStart(),
                        l.periodEnd()},
                "line_id", "invoice_id", "kind", "price_id", "description", "quantity", "currency", "unit_amount_minor",
                "amount_minor", "period_start", "period_end");
        BillingTable.<PaymentMethod>single(EntityKind.PAYMENT_METHODS, "payment_methods", PaymentMethod::id,
                m -> new Object[] {m.id(), m.customerId(), m.type(), m.brand(),
                        m.expires() == null ? null : m.expires().getMonthValue(),
                        m.expires() == null ? null : m.expires().getYear(), m.isDefault()},
                "payment_method_id", "customer_id", "method_type", "brand", "exp_month", "exp_year", "is_default");
        BillingTable.<Payment>single(EntityKind.PAYMENTS, "payments", Payment::id,
                p -> new Object[] {p.id(), p.invoiceId(), p.customerId(), p.attemptedAt(), code(p.amount().currency()),
                        p.amount().minor(), wire(p.status()), p.declineCode(), p.paymentMethodId(), p.attempt()},
                "payment_id", "invoice_id", "customer_id", "attempted_at", "currency", "amount_minor", "status",
                "decline_code", "payment_method_id", "attempt");
        BillingTable.<io.leakdetector.core.domain.Refund>single(EntityKind.REFUNDS, "refunds",
                io.leakdetector.core.domain.Refund::id,
                r -> new Object[] {r.id(), r.paymentId(), r.invoiceId(), r.createdAt(), code(r.amount().currency()),
                        r.amount().minor(), r.reason(), r.status()},
                "refund_id", "payment_id", "invoice_id", "created_at", "currency", "amount_minor", "reason", "status");
        BillingTable.<CreditNote>single(EntityKind.CREDIT_NOTES, "credit_notes", CreditNote::id,
                c -> new Object[] {c.id(), c.invoiceId(), c.customerId(), c.createdAt(), code(c.amount().currency()),
                        c.amount().minor(), c.reason()},
                "credit_note_id", "invoice_id", "customer_id", "created_at", "currency", "amount_minor", "reason");
        BillingTable.<Dispute>single(EntityKind.DISPUTES, "disputes", Dispute::id,
                d -> new Object[] {d.id(), d.paymentId(), d.createdAt(), code(d.amount().currency()), d.amount().minor(),
                        d.reason(), d.status()},
                "dispute_id", "payment_id", "created_at", "currency", "amount_minor", "reason", "status");
        BillingTable.<UsageRecord>single(EntityKind.USAGE, "usage_records", UsageRecord::id,
                u -> new Object[] {u.id(), u.customerId(), u.subscriptionId(), u.metric(), u.periodStart(), u.quantity()},
                "usage_id", "customer_id", "subscription_id", "metric", "period_start", "quantity");
        ALL.put(EntityKind.APP_ACCOUNTS, new BillingTable<AppAccount>(EntityKind.APP_ACCOUNTS, "app_accounts",
                List.of("account_id", "observed_on", "customer_id", "product_id", "seats_in_use", "access_status"),
                List.of("account_id", "observed_on"),
                a -> new Object[] {a.accountId(), a.observedOn(), a.customerId(), a.productId(), a.seatsInUse(),
                        a.accessStatus()},
                AppAccount::accountId, AppAccount::observedOn));
        BillingTable.<ChangeEvent>single(EntityKind.CHANGE_EVENTS, "change_events", ChangeEvent::id,
                e -> new Object[] {e.id(), e.occurredAt(), e.type(), e.service(), e.version(), e.description()},
                "event_id", "occurred_at", "event_type", "service", "version", "description");
        for (EntityKind k : EntityKind.values()) {
            if (!ALL.containsKey(k)) throw new ExceptionInInitializerError("no table for " + k);
        }
    }
}
