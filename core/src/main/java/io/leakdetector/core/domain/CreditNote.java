package io.leakdetector.core.domain;

import io.leakdetector.core.money.Money;
import java.time.Instant;

/** A credit note lowering what an invoice asks for (goodwill, correction), with its reason. */
public record CreditNote(String id, String invoiceId, String customerId, Instant createdAt, Money amount,
                         String reason, RowSource origin) implements Sourced {
    public CreditNote {
        Require.id(id, "credit_note_id");
        Require.id(invoiceId, "invoice_id");
        Require.id(customerId, "customer_id");
        Require.present(createdAt, "created_at");
        Require.nonNegative(amount, "amount");
    }

    /** As the canonical constructor, with the source given as its text ({@code file:line} or a record id). */
    public CreditNote(String id, String invoiceId, String customerId, Instant createdAt, Money amount,
                      String reason, String source) {
        this(id, invoiceId, customerId, createdAt, amount, reason, RowSource.of(source));
    }
}
