package io.leakdetector.core.domain;

import io.leakdetector.core.money.Money;
import java.time.Instant;

/** A chargeback on a payment, with its outcome (needs_response, under_review, won, lost). */
public record Dispute(String id, String paymentId, Instant createdAt, Money amount, String reason, String status,
                      RowSource origin) implements Sourced {
    public Dispute {
        Require.id(id, "dispute_id");
        Require.id(paymentId, "payment_id");
        Require.present(createdAt, "created_at");
        Require.nonNegative(amount, "amount");
        Require.id(status, "status");
    }

    /** As the canonical constructor, with the source given as its text ({@code file:line} or a record id). */
    public Dispute(String id, String paymentId, Instant createdAt, Money amount, String reason, String status,
                   String source) {
        this(id, paymentId, createdAt, amount, reason, status, RowSource.of(source));
    }
}
