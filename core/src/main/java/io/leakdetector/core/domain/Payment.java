package io.leakdetector.core.domain;

import io.leakdetector.core.money.Money;
import java.time.Instant;

/** One attempt to collect money, successful or declined (with the provider's decline code). */
public record Payment(String id, String invoiceId, String customerId, Instant attemptedAt, Money amount,
                      PaymentStatus status, String declineCode, String paymentMethodId, int attempt, RowSource origin) implements Sourced {
    public Payment {
        Require.id(id, "payment_id");
        Require.id(customerId, "customer_id");
        Require.present(attemptedAt, "attempted_at");
        Require.nonNegative(amount, "amount");
        Require.present(status, "status");
        if (attempt < 1) throw new DomainValidationException("attempt", "must be 1 or more (was " + attempt + ")");
    }

    /** As the canonical constructor, with the source given as its text ({@code file:line} or a record id). */
    public Payment(String id, String invoiceId, String customerId, Instant attemptedAt, Money amount,
                   PaymentStatus status, String declineCode, String paymentMethodId, int attempt, String source) {
        this(id, invoiceId, customerId, attemptedAt, amount, status, declineCode, paymentMethodId, attempt,
                RowSource.of(source));
    }
}
