package io.leakdetector.core.domain;

import io.leakdetector.core.money.Money;
import java.time.Instant;

/** One line of an invoice; {@code amount} is normally quantity × unit amount (negative for credits and discounts). */
public record InvoiceLine(String id, String invoiceId, LineKind kind, String priceId, String description, long quantity,
                          Money unitAmount, Money amount, Instant periodStart, Instant periodEnd, RowSource origin) implements Sourced {
    public InvoiceLine {
        Require.id(id, "line_id");
        Require.id(invoiceId, "invoice_id");
        Require.present(kind, "kind");
        Require.present(unitAmount, "unit_amount");
        Require.inCurrency(Require.present(amount, "amount"), unitAmount.currency(), "amount");
    }

    /** As the canonical constructor, with the source given as its text ({@code file:line} or a record id). */
    public InvoiceLine(String id, String invoiceId, LineKind kind, String priceId, String description, long quantity,
                       Money unitAmount, Money amount, Instant periodStart, Instant periodEnd, String source) {
        this(id, invoiceId, kind, priceId, description, quantity, unitAmount, amount, periodStart, periodEnd,
                RowSource.of(source));
    }
}
