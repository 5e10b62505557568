package io.leakdetector.core.domain;

import io.leakdetector.core.money.Money;
import java.math.BigDecimal;
import java.time.Instant;

/**
 * A customer's contract for one price: quantity (seats), an optional negotiated unit amount that replaces
 * the list price, an optional percentage discount with its end date, and the lifecycle dates.
 * {@code priceLocked} marks a price kept on purpose (grandfathered), never a leak.
 */
public record Subscription(String id, String customerId, String priceId, long quantity, Money negotiatedUnitAmount,
                           BigDecimal discountPercent, Instant discountEnd, SubscriptionStatus status,
                           Instant startedAt, Instant trialEnd, Instant canceledAt, boolean priceLocked,
                           String contractId, String note, RowSource origin) implements Sourced {
    public Subscription {
        Require.id(id, "subscription_id");
        Require.id(customerId, "customer_id");
        Require.id(priceId, "price_id");
        Require.nonNegative(quantity, "quantity");
        if (negotiatedUnitAmount != null) Require.nonNegative(negotiatedUnitAmount, "unit_amount");
        if (discountPercent != null
                && (discountPercent.signum() < 0 || discountPercent.compareTo(BigDecimal.valueOf(100)) > 0)) {
            throw new DomainValidationException("discount_percent", "must be between 0 and 100 (was " + discountPercent + ")");
        }
        Require.present(status, "status");
        Require.present(startedAt, "started_at");
        if (canceledAt != null && canceledAt.isBefore(startedAt)) {
            throw new DomainValidationException("canceled_at", "is before started_at");
        }
    }

    /** As the canonical constructor, with the source given as its text ({@code file:line} or a record id). */
    public Subscription(String id, String customerId, String priceId, long quantity, Money negotiatedUnitAmount,
                        BigDecimal discountPercent, Instant discountEnd, SubscriptionStatus status,
                        Instant startedAt, Instant trialEnd, Instant canceledAt, boolean priceLocked,
                        String contractId, String note, String source) {
        this(id, customerId, priceId, quantity, negotiatedUnitAmount, discountPercent, discountEnd, status, startedAt,
                trialEnd, canceledAt, priceLocked, contractId, note, RowSource.of(source));
    }
}
