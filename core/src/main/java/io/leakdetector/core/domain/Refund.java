package io.leakdetector.core.domain;

import io.leakdetector.core.money.Money;
import java.time.Instant;

/** Money returned to a customer against a payment. */
public record Refund(String id, String paymentId, String invoiceId, Instant createdAt, Money amount, String reason,
                     String status, RowSource origin) implements Sourced {
    public Refund {
        Require.id(id, "refund_id");
        Require.id(paymentId, "payment_id");
        Require.present(createdAt, "created_at");
        Require.nonNegative(amount, "amount");
    }

    /** As the canonical constructor, with the source given as its text ({@code file:line} or a record id). */
    public Refund(String id, String paymentId, String invoiceId, Instant createdAt, Money amount, String reason,
                  String status, String source) {
        this(id, paymentId, invoiceId, createdAt, amount, reason, status, RowSource.of(source));
    }
}
