package io.leakdetector.core.domain;

import io.leakdetector.core.money.Money;
import java.time.Instant;
import java.util.Currency;

/**
 * An invoice: subtotal − discount + tax = total, all in one currency. {@code subscriptionId} is null for
 * one-off invoices. The period is the service period billed (for a subscription invoice).
 */
public record Invoice(String id, String customerId, String subscriptionId, InvoiceStatus status, Instant createdAt,
                      Instant periodStart, Instant periodEnd, Currency currency, Money subtotal, Money discount,
                      Money tax, Money total, Money amountPaid, String billingReason, RowSource origin) implements Sourced {
    public Invoice {
        Require.id(id, "invoice_id");
        Require.id(customerId, "customer_id");
        Require.present(status, "status");
        Require.present(createdAt, "created_at");
        Require.present(currency, "currency");
        Require.inCurrency(Require.present(subtotal, "subtotal"), currency, "subtotal");
        Require.inCurrency(Require.present(discount, "discount"), currency, "discount");
        Require.inCurrency(Require.present(tax, "tax"), currency, "tax");
        Require.inCurrency(Require.present(total, "total"), currency, "total");
        Require.inCurrency(Require.present(amountPaid, "amount_paid"), currency, "amount_paid");
        if (periodStart != null && periodEnd != null && periodEnd.isBefore(periodStart)) {
            throw new DomainValidationException("period_end", "is before period_start");
        }
    }

    /** What is still owed: total − amount paid, never below zero. */
    public Money amountRemaining() {
        Money r = total.minus(amountPaid);
        return r.isNegative() ? Money.zero(currency) : r;
    }

    /** As the canonical constructor, with the source given as its text ({@code file:line} or a record id). */
    public Invoice(String id, String customerId, String subscriptionId, InvoiceStatus status, Instant createdAt,
                   Instant periodStart, Instant periodEnd, Currency currency, Money subtotal, Money discount,
                   Money tax, Money total, Money amountPaid, String billingReason, String source) {
        this(id, customerId, subscriptionId, status, createdAt, periodStart, periodEnd, currency, subtotal, discount,
                tax, total, amountPaid, billingReason, RowSource.of(source));
    }
}
