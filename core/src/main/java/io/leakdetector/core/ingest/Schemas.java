package io.leakdetector.core.ingest;

import static io.leakdetector.core.ingest.Column.opt;
import static io.leakdetector.core.ingest.Column.req;

import io.leakdetector.core.domain.AppAccount;
import io.leakdetector.core.domain.BillingInterval;
import io.leakdetector.core.domain.ChangeEvent;
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
import java.time.YearMonth;
import java.util.Currency;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The columns of every data file (documented in docs/data-format.md) and how each row maps to its record.
 * Aliases are the column names of Stripe's dashboard exports.
 */
public final class Schemas {
    private static final Map<EntityKind, EntitySchema<?>> ALL = new EnumMap<>(EntityKind.class);

    static {
        register(new EntitySchema<>(EntityKind.CUSTOMERS, Customer.class, List.of(
                req("customer_id", "id", "cus_001", "the customer's id in the source system", "id", "Customer ID"),
                opt("name", "text", "Acme GmbH", "display name", "Name", "Description"),
                opt("email", "text", "billing@acme.example", "billing contact", "Email"),
                opt("segment", "text", "mid-market", "customer segment (smb, mid-market, enterprise, …)"),
                opt("region", "text", "EMEA", "sales region"),
                opt("country", "ISO-3166 alpha-2", "DE", "billing country", "Address Country", "Card Address Country"),
                req("currency", "ISO-4217", "EUR", "the customer's billing currency", "Currency"),
                opt("created_at", "timestamp", "2025-01-15T09:30:00Z", "when the customer was created", "Created (UTC)")),
                (r, src) -> new Customer(r.required("customer_id"), r.text("name"), r.text("email"), r.text("segment"),
                        r.text("region"), r.text("country"), r.currency("currency"), r.instant("created_at"), src),
                Customer::id, List.of()));

        register(new EntitySchema<>(EntityKind.PRICES, Price.class, List.of(
                req("price_id", "id", "price_pro_m_v2", "id of this price version", "id", "Price ID"),
                req("plan_id", "id", "pro-monthly", "the plan this version belongs to (versions share it)", "Plan ID", "Lookup Key"),
                req("product_id", "id", "prod_pro", "product", "Product ID", "Product"),
                opt("product_name", "text", "Pro", "product name", "Product Name"),
                req("interval", "month|year", "month", "billing interval", "Interval", "Recurring Interval"),
                req("scheme", "flat|per_seat|usage", "per_seat", "how quantity turns into an amount", "Billing Scheme", "Usage Type"),
                req("currency", "ISO-4217", "USD", "price currency", "Currency"),
                req("unit_amount", "money", "49.00", "list amount per unit (per seat, or the base fee for flat and usage plans)", "Amount", "Unit Amount"),
                opt("included_units", "integer", "1000", "usage units included in the base fee (usage plans); default 0"),
                opt("overage_unit_amount", "money", "0.02", "price per unit above the included units (usage plans)"),
                opt("usage_metric", "text", "api_calls", "metric the usage records of this plan count"),
                req("valid_from", "timestamp", "2025-01-01", "first moment this version is on the price book", "Created (UTC)"),
                opt("valid_to", "timestamp", "2026-01-01", "when this version was retired (exclusive); blank while current")),
                (r, src) -> {
                    Currency cur = r.currency("currency");
                    return new Price(r.required("price_id"), r.required("plan_id"), r.required("product_id"),
                            r.text("product_name"), r.enumValue("interval", BillingInterval::parse),
                            r.enumValue("scheme", PricingScheme::parse), r.requiredMoney("unit_amount", cur),
                            r.integer("included_units", 0), r.money("overage_unit_amount", cur), r.text("usage_metric"),
                            r.requiredInstant("valid_from"), r.instant("valid_to"), src);
                },
                Price::id, List.of()));

        register(new EntitySchema<>(EntityKind.SUBSCRIPTIONS, Subscription.class, List.of(
                req("subscription_id", "id", "sub_001", "subscription (contract) id", "id", "Subscription ID"),
                req("customer_id", "id", "cus_001", "customer", "Customer ID", "Customer"),
                req("price_id", "id", "price_pro_m_v2", "the price version the subscription is on", "Plan", "Price ID", "Plan ID"),
                opt("quantity", "integer", "12", "seats or units; default 1", "Quantity"),
                opt("currency", "ISO-4217", "USD", "currency of unit_amount (required when unit_amount is set)", "Currency"),
                opt("unit_amount", "money", "39.00", "negotiated unit amount replacing the list price"),
                opt("discount_percent", "decimal", "20", "percentage discount, 0–100", "Coupon Percent Off"),
                opt("discount_end", "timestamp", "2026-06-30", "the discount applies to invoices created before this", "Discount End (UTC)"),
                req("status", "trialing|active|past_due|paused|canceled|unpaid", "active", "current status", "Status"),
                req("started_at", "timestamp", "2025-03-01", "start of the first period", "Start (UTC)", "Start Date (UTC)", "Created (UTC)"),
                opt("trial_end", "timestamp", "2025-03-15", "end of the free trial", "Trial End (UTC)"),
                opt("canceled_at", "timestamp", "2026-02-01", "when the subscription ended (Stripe's Ended At wins over Canceled At, the time the cancellation was requested)", "Ended At (UTC)", "Canceled At (UTC)"),
                opt("price_locked", "boolean", "false", "true when an old price is kept on purpose (grandfathered); default false"),
                opt("contract_id", "id", "ct_9", "the signed contract behind a negotiated price"),
                opt("note", "text", "grandfathered by CEO decision", "free text from the contract")),
                (r, src) -> {
                    String curText = r.text("currency");
                    Money negotiated = null;
                    if (r.text("unit_amount") != null) {
                        if (curText == null) throw new RowRejectedException("currency", "required when unit_amount is set");
                        negotiated = r.requiredMoney("unit_amount", r.currency("currency"));
                    }
                    return new Subscription(r.required("subscription_id"), r.required("customer_id"), r.required("price_id"),
                            r.integer("quantity", 1), negotiated, r.decimal("discount_percent"), r.instant("discount_end"),
                            r.enumValue("status", SubscriptionStatus::parse), r.requiredInstant("started_at"),
                            r.instant("trial_end"), r.instant("canceled_at"), r.bool("price_locked", false),
                            r.text("contract_id"), r.text("note"), src);
                },
                Subscription::id, List.of(
                        new Reference<>("customer_id", EntityKind.CUSTOMERS, true, Subscription::customerId),
                        new Reference<>("price_id", EntityKind.PRICES, true, Subscription::priceId))));

        register(new EntitySchema<>(EntityKind.SUBSCRIPTION_CHANGES, SubscriptionChange.class, List.of(
                req("change_id", "id", "sc_001", "change id", "id"),
                req("subscription_id", "id", "sub_001", "subscription changed", "Subscription ID", "Subscription"),
                req("changed_at", "timestamp", "2025-06-14T12:00:00Z", "when the change took effect", "Created (UTC)"),
                req("kind", "upgrade|downgrade|quantity|pause|resume|cancel|reactivate", "upgrade", "what changed", "Type"),
                opt("from_price_id", "id", "price_basic_m_v1", "price before"),
                opt("to_price_id", "id", "price_pro_m_v2", "price after"),
                opt("from_quantity", "integer", "5", "quantity before"),
                opt("to_quantity", "integer", "8", "quantity after")),
                (r, src) -> new SubscriptionChange(r.required("change_id"), r.required("subscription_id"),
                        r.requiredInstant("changed_at"), r.required("kind"), r.text("from_price_id"), r.text("to_price_id"),
                        r.integer("from_quantity"), r.integer("to_quantity"), src),
                SubscriptionChange::id, List.of(
                        new Reference<>("subscription_id", EntityKind.SUBSCRIPTIONS, true, SubscriptionChange::subscriptionId))));

        register(new EntitySchema<>(EntityKind.INVOICES, Invoice.class, List.of(
                req("invoice_id", "id", "in_123", "invoice id", "id", "Invoice ID"),
                req("customer_id", "id", "cus_001", "customer billed", "Customer", "Customer ID"),
                opt("subscription_id", "id", "sub_001", "subscription billed; blank for one-off invoices", "Subscription"),
                req("status", "draft|open|paid|void|uncollectible", "paid", "invoice status", "Status"),
                req("created_at", "timestamp", "2026-01-01T00:05:00Z", "invoice date", "Date (UTC)", "Created (UTC)"),
                opt("period_start", "timestamp", "2026-01-01", "start of the service period billed", "Period Start (UTC)"),
                opt("period_end", "timestamp", "2026-02-01", "end of the service period (exclusive)", "Period End (UTC)"),
                req("currency", "ISO-4217", "USD", "invoice currency", "Currency"),
                req("subtotal", "money", "588.00", "sum of the lines before discount and tax", "Subtotal"),
                opt("discount", "money", "0.00", "discount amount (positive); default 0", "Total Discount Amount", "Discount"),
                opt("tax", "money", "49.98", "tax amount; default 0", "Tax"),
                req("total", "money", "637.98", "subtotal − discount + tax", "Total"),
                opt("amount_paid", "money", "637.98", "amount collected so far; default 0", "Amount Paid"),
                opt("billing_reason", "text", "subscription_cycle", "why the invoice was created (subscription_cycle, subscription_create, subscription_update, manual)", "Billing Reason", "Billing")),
                (r, src) -> {
                    Currency cur = r.currency("currency");
                    return new Invoice(r.required("invoice_id"), r.required("customer_id"), r.text("subscription_id"),
                            r.enumValue("status", InvoiceStatus::parse), r.requiredInstant("created_at"),
                            r.instant("period_start"), r.instant("period_end"), cur, r.requiredMoney("subtotal", cur),
                            r.moneyOrZero("discount", cur), r.moneyOrZero("tax", cur), r.requiredMoney("total", cur),
                            r.moneyOrZero("amount_paid", cur), r.text("billing_reason"), src);
                },
                Invoice::id, List.of(
                        new Reference<>("customer_id", EntityKind.CUSTOMERS, true, Invoice::customerId),
                        new Reference<>("subscription_id", EntityKind.SUBSCRIPTIONS, false, Invoice::subscriptionId))));

        register(new EntitySchema<>(EntityKind.INVOICE_LINES, InvoiceLine.class, List.of(
                req("line_id", "id", "il_123_1", "line id", "id", "Line Item ID", "Invoice Line Item ID"),
                req("invoice_id", "id", "in_123", "invoice", "Invoice ID", "Invoice"),
                req("kind", "subscription|usage|one_off|proration|discount|credit", "subscription", "what the line bills", "Type"),
                opt("price_id", "id", "price_pro_m_v2", "price billed", "Price ID", "Plan ID"),
                opt("description", "text", "12 × Pro seat", "line text", "Description"),
                opt("quantity", "integer", "12", "units billed; default 1", "Quantity"),
                req("currency", "ISO-4217", "USD", "line currency (the invoice's)", "Currency"),
                req("unit_amount", "money", "49.00", "amount per unit", "Unit Amount"),
                req("amount", "money", "588.00", "line amount (negative for credits and discounts)", "Amount"),
                opt("period_start", "timestamp", "2026-01-01", "service period start", "Period Start (UTC)"),
                opt("period_end", "timestamp", "2026-02-01", "service period end (exclusive)", "Period End (UTC)")),
                (r, src) -> {
                    Currency cur = r.currency("currency");
                    return new InvoiceLine(r.required("line_id"), r.required("invoice_id"),
                            r.enumValue("kind", LineKind::parse), r.text("price_id"), r.text("description"),
                            r.integer("quantity", 1), r.requiredMoney("unit_amount", cur), r.requiredMoney("amount", cur),
                            r.instant("period_start"), r.instant("period_end"), src);
                },
                InvoiceLine::id, List.of(
                        new Reference<>("invoice_id", EntityKind.INVOICES, true, InvoiceLine::invoiceId),
                        new Reference<>("price_id", EntityKind.PRICES, false, InvoiceLine::priceId))));

        register(new EntitySchema<>(EntityKind.PAYMENT_METHODS, PaymentMethod.class, List.of(
                req("payment_method_id", "id", "pm_001", "payment method id", "id", "Card ID", "PaymentMethod ID"),
                req("customer_id", "id", "cus_001", "owner", "Customer ID", "Customer"),
                opt("type", "text", "card", "card, sepa_debit, …; default card", "Type"),
                opt("brand", "text", "visa", "card brand", "Brand"),
                opt("exp_month", "1–12", "8", "card expiry month", "Exp Month"),
                opt("exp_year", "year", "2027", "card expiry year", "Exp Year"),
                opt("is_default", "boolean", "true", "the customer's default method; default false")),
                (r, src) -> {
                    Long m = r.integer("exp_month");
                    Long y = r.integer("exp_year");
                    YearMonth expires = null;
                    if (m != null || y != null) {
                        if (m == null) throw new RowRejectedException("exp_month", "required when exp_year is set");
                        if (y == null) throw new RowRejectedException("exp_year", "required when exp_month is set");
                        if (m < 1 || m > 12) throw new RowRejectedException("exp_month", "must be 1–12 (was " + m + ")");
                        if (y < 1900 || y > 9999) throw new RowRejectedException("exp_year", "not a year: " + y);
                        expires = YearMonth.of(y.intValue(), m.intValue());
                    }
                    String type = r.text("type");
                    return new PaymentMethod(r.required("payment_method_id"), r.required("customer_id"),
                            type == null ? "card" : type, r.text("brand"), expires, r.bool("is_default", false), src);
                },
                PaymentMethod::id, List.of(
                        new Reference<>("customer_id", EntityKind.CUSTOMERS, true, PaymentMethod::customerId))));

        register(new EntitySchema<>(EntityKind.PAYMENTS, Payment.class, List.of(
                req("payment_id", "id", "ch_001", "payment attempt id", "id", "Charge ID", "Payment ID"),
                opt("invoice_id", "id", "in_123", "invoice paid; blank for payments outside invoices", "Invoice ID", "Invoice"),
                req("customer_id", "id", "cus_001", "payer", "Customer ID", "Customer"),
                req("attempted_at", "timestamp", "2026-01-01T00:06:00Z", "when the attempt was made", "Created (UTC)", "Created"),
                req("currency", "ISO-4217", "USD", "payment currency", "Currency"),
                req("amount", "money", "637.98", "amount attempted", "Amount"),
                req("status", "succeeded|failed|pending", "failed", "outcome", "Status"),
                opt("decline_code", "text", "insufficient_funds", "provider decline code for failed attempts", "Decline Reason", "Decline Code", "Failure Code"),
                opt("payment_method_id", "id", "pm_001", "method used", "Card ID", "PaymentMethod ID", "Payment Method ID"),
                opt("attempt", "integer", "1", "attempt number for this invoice; default 1", "Attempt Count")),
                (r, src) -> {
                    Currency cur = r.currency("currency");
                    long attempt = r.integer("attempt", 1);
                    if (attempt < 1 || attempt > Integer.MAX_VALUE) throw new RowRejectedException("attempt", "must be 1 or more");
                    return new Payment(r.required("payment_id"), r.text("invoice_id"), r.required("customer_id"),
                            r.requiredInstant("attempted_at"), r.requiredMoney("amount", cur),
                            r.enumValue("status", PaymentStatus::parse), r.text("decline_code"), r.text("payment_method_id"),
                            (int) attempt, src);
                },
                Payment::id, List.of(
                        new Reference<>("customer_id", EntityKind.CUSTOMERS, true, Payment::customerId),
                        new Reference<>("invoice_id", EntityKind.INVOICES, false, Payment::invoiceId),
                        new Reference<>("payment_method_id", EntityKind.PAYMENT_METHODS, false, Payment::paymentMethodId))));

        register(new EntitySchema<>(EntityKind.REFUNDS, Refund.class, List.of(
                req("refund_id", "id", "re_001", "refund id", "id", "Refund ID"),
                req("payment_id", "id", "ch_001", "payment refunded", "Charge ID", "Charge", "Payment ID"),
                opt("invoice_id", "id", "in_123", "invoice of that payment", "Invoice ID"),
                req("created_at", "timestamp", "2026-01-10T12:00:00Z", "when the refund was made", "Created (UTC)"),
                req("currency", "ISO-4217", "USD", "refund currency", "Currency"),
                req("amount", "money", "49.00", "amount refunded", "Amount"),
                opt("reason", "text", "requested_by_customer", "why (duplicate, fraudulent, requested_by_customer, service_outage, …)", "Reason"),
                opt("status", "text", "succeeded", "refund status; default succeeded", "Status")),
                (r, src) -> {
                    Currency cur = r.currency("currency");
                    String status = r.text("status");
                    return new Refund(r.required("refund_id"), r.required("payment_id"), r.text("invoice_id"),
                            r.requiredInstant("created_at"), r.requiredMoney("amount", cur), r.text("reason"),
                            status == null ? "succeeded" : status, src);
                },
                Refund::id, List.of(
                        new Reference<>("payment_id", EntityKind.PAYMENTS, true, Refund::paymentId),
                        new Reference<>("invoice_id", EntityKind.INVOICES, false, Refund::invoiceId))));

        register(new EntitySchema<>(EntityKind.CREDIT_NOTES, CreditNote.class, List.of(
                req("credit_note_id", "id", "cn_001", "credit note id", "id"),
                req("invoice_id", "id", "in_123", "invoice credited", "Invoice ID", "Invoice"),
                req("customer_id", "id", "cus_001", "customer", "Customer ID", "Customer"),
                req("created_at", "timestamp", "2026-01-12", "when it was issued", "Created (UTC)"),
                req("currency", "ISO-4217", "USD", "currency", "Currency"),
                req("amount", "money", "20.00", "amount credited", "Amount", "Total"),
                opt("reason", "text", "goodwill", "why (goodwill, correction, duplicate, …)", "Reason")),
                (r, src) -> {
                    Currency cur = r.currency("currency");
                    return new CreditNote(r.required("credit_note_id"), r.required("invoice_id"), r.required("customer_id"),
                            r.requiredInstant("created_at"), r.requiredMoney("amount", cur), r.text("reason"), src);
                },
                CreditNote::id, List.of(
                        new Reference<>("invoice_id", EntityKind.INVOICES, true, CreditNote::invoiceId),
                        new Reference<>("customer_id", EntityKind.CUSTOMERS, true, CreditNote::customerId))));

        register(new EntitySchema<>(EntityKind.DISPUTES, Dispute.class, List.of(
                req("dispute_id", "id", "dp_001", "dispute id", "id", "Dispute ID"),
                req("payment_id", "id", "ch_001", "payment disputed", "Charge ID", "Charge", "Payment ID"),
                req("created_at", "timestamp", "2026-02-03", "when it was opened", "Created (UTC)"),
                req("currency", "ISO-4217", "USD", "currency", "Currency"),
                req("amount", "money", "637.98", "amount disputed", "Amount"),
                opt("reason", "text", "duplicate", "card network reason", "Reason"),
                req("status", "needs_response|under_review|won|lost", "lost", "outcome", "Status")),
                (r, src) -> {
                    Currency cur = r.currency("currency");
                    return new Dispute(r.required("dispute_id"), r.required("payment_id"), r.requiredInstant("created_at"),
                            r.requiredMoney("amount", cur), r.text("reason"), r.required("status"), src);
                },
                Dispute::id, List.of(
                        new Reference<>("payment_id", EntityKind.PAYMENTS, true, Dispute::paymentId))));

        register(new EntitySchema<>(EntityKind.USAGE, UsageRecord.class, List.of(
                req("usage_id", "id", "u_001", "usage record id", "id"),
                req("customer_id", "id", "cus_001", "customer", "Customer ID", "Customer"),
                opt("subscription_id", "id", "sub_001", "subscription the usage counts against", "Subscription ID", "Subscription Item"),
                req("metric", "text", "api_calls", "what is counted"),
                req("period_start", "timestamp", "2026-01-01", "start of the period the quantity covers (judged per billing period: calendar months unless usage lines bill other periods)", "Timestamp"),
                req("quantity", "integer", "125000", "units used", "Quantity")),
                (r, src) -> new UsageRecord(r.required("usage_id"), r.required("customer_id"), r.text("subscription_id"),
                        r.required("metric"), r.requiredInstant("period_start"), integerRequired(r, "quantity"), src),
                UsageRecord::id, List.of(
                        new Reference<>("customer_id", EntityKind.CUSTOMERS, true, UsageRecord::customerId),
                        new Reference<>("subscription_id", EntityKind.SUBSCRIPTIONS, false, UsageRecord::subscriptionId))));

        register(new EntitySchema<>(EntityKind.APP_ACCOUNTS, AppAccount.class, List.of(
                req("account_id", "id", "acct_001", "the customer's account in the product"),
                req("customer_id", "id", "cus_001", "customer"),
                opt("product_id", "id", "prod_pro", "product the account uses"),
                req("observed_on", "date", "2026-01-15", "day of the observation (one row per account and day)"),
                req("seats_in_use", "integer", "14", "seats in use that day"),
                req("access_status", "active|suspended|revoked", "active", "access that day")),
                (r, src) -> new AppAccount(r.required("account_id"), r.required("customer_id"), r.text("product_id"),
                        r.requiredDate("observed_on"), integerRequired(r, "seats_in_use"), r.required("access_status"), src),
                AppAccount::key, List.of(
                        new Reference<>("customer_id", EntityKind.CUSTOMERS, true, AppAccount::customerId))));

        register(new EntitySchema<>(EntityKind.CHANGE_EVENTS, ChangeEvent.class, List.of(
                req("event_id", "id", "chg_001", "change id", "id"),
                req("occurred_at", "timestamp", "2026-03-04T14:00:00Z", "when it happened"),
                req("type", "deploy|price_change|config_flag", "deploy", "kind of change"),
                opt("service", "text", "billing-svc", "service or system changed"),
                opt("version", "text", "2.3.1", "version deployed or flag value"),
                opt("description", "text", "new overage calculation", "free text")),
                (r, src) -> new ChangeEvent(r.required("event_id"), r.requiredInstant("occurred_at"), r.required("type"),
                        r.text("service"), r.text("version"), r.text("description"), src),
                ChangeEvent::id, List.of()));
    }

    private Schemas() {}

    private static long integerRequired(RowView r, String column) {
        return r.requiredInteger(column);
    }

    private static void register(EntitySchema<?> schema) {
        ALL.put(schema.kind(), schema);
    }

    public static EntitySchema<?> of(EntityKind kind) {
        return ALL.get(kind);
    }

    @SuppressWarnings("unchecked")
    public static <T> EntitySchema<T> of(EntityKind kind, Class<T> type) {
        EntitySchema<?> s = ALL.get(kind);
        if (!s.type().equals(type)) throw new IllegalArgumentException(kind + " holds " + s.type().getSimpleName());
        return (EntitySchema<T>) s;
    }
}
