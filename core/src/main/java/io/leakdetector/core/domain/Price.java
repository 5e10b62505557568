package io.leakdetector.core.domain;

import io.leakdetector.core.money.Money;
import java.time.Instant;

/**
 * One version of a plan's list price, valid on the price book from {@code validFrom} until {@code validTo}
 * (exclusive, null while current). Versions of the same plan share {@code planId}.
 */
public record Price(String id, String planId, String productId, String productName, BillingInterval interval,
                    PricingScheme scheme, Money unitAmount, long includedUnits, Money overageUnitAmount,
                    String usageMetric, Instant validFrom, Instant validTo, RowSource origin) implements Sourced {
    public Price {
        Require.id(id, "price_id");
        Require.id(planId, "plan_id");
        Require.id(productId, "product_id");
        Require.present(interval, "interval");
        Require.present(scheme, "scheme");
        Require.nonNegative(unitAmount, "unit_amount");
        Require.nonNegative(includedUnits, "included_units");
        if (overageUnitAmount != null) {
            Require.nonNegative(overageUnitAmount, "overage_unit_amount");
            Require.inCurrency(overageUnitAmount, unitAmount.currency(), "overage_unit_amount");
        }
        Require.present(validFrom, "valid_from");
        if (validTo != null && !validTo.isAfter(validFrom)) {
            throw new DomainValidationException("valid_to", "must be after valid_from");
        }
    }

    /** True when this version is on the price book at {@code t}. */
    public boolean validAt(Instant t) {
        return !t.isBefore(validFrom) && (validTo == null || t.isBefore(validTo));
    }

    /** As the canonical constructor, with the source given as its text ({@code file:line} or a record id). */
    public Price(String id, String planId, String productId, String productName, BillingInterval interval,
                 PricingScheme scheme, Money unitAmount, long includedUnits, Money overageUnitAmount,
                 String usageMetric, Instant validFrom, Instant validTo, String source) {
        this(id, planId, productId, productName, interval, scheme, unitAmount, includedUnits, overageUnitAmount,
                usageMetric, validFrom, validTo, RowSource.of(source));
    }
}
