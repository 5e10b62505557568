package io.leakdetector.core.generate;

import io.leakdetector.core.finding.Category;

/**
 * The leak scenarios the generator injects, each with its field-study bucket and the category of the truth rows
 * it writes. {@code weight} is the relative chance of the scenario among injected ones, set so that truth rows
 * come out near the bucket mix of docs/generator.md (a scenario can write several truth rows).
 */
enum Scenario {
    PRICE_MISMATCH_LINE(Bucket.PRICING, Category.PRICE_MISMATCH, 14),
    PRICE_MISMATCH_CONTRACT(Bucket.PRICING, Category.PRICE_MISMATCH, 4),
    EXPIRED_DISCOUNT(Bucket.PRICING, Category.EXPIRED_DISCOUNT, 4),
    LEGACY_PRICE(Bucket.PRICING, Category.LEGACY_PRICE, 10),
    UNBILLED_OVERAGE(Bucket.USAGE, Category.UNBILLED_USAGE, 7),
    MISSED_INVOICE(Bucket.USAGE, Category.MISSED_INVOICE, 7),
    USAGE_AFTER_CANCEL(Bucket.USAGE, Category.UNBILLED_SERVICE, 2),
    REVENUE_GAP(Bucket.USAGE, Category.USAGE_REVENUE_GAP, 3),
    FAILED_PAYMENT(Bucket.DUNNING, Category.FAILED_PAYMENT, 11),
    SILENT_CHURN(Bucket.DUNNING, Category.SILENT_CHURN, 1),
    EXPIRING_CARD(Bucket.DUNNING, Category.EXPIRING_PAYMENT_METHOD, 4),
    DUPLICATE_INVOICE(Bucket.CONTRACT, Category.DUPLICATE_BILLING, 5),
    DUPLICATE_CHARGE(Bucket.CONTRACT, Category.DUPLICATE_BILLING, 3),
    REFUND_EXCESS(Bucket.CONTRACT, Category.REFUND_ANOMALY, 3),
    REFUND_TWICE(Bucket.CONTRACT, Category.REFUND_ANOMALY, 2),
    MISSED_RENEWAL(Bucket.CONTRACT, Category.MISSED_INVOICE, 3),
    SEAT_OVERAGE(Bucket.ENTITLEMENT, Category.UNBILLED_USAGE, 3),
    ACCESS_AFTER_CANCEL(Bucket.ENTITLEMENT, Category.UNBILLED_SERVICE, 3),
    EXPONENT_BUG(Bucket.UNKNOWN, Category.ANOMALY, 2),
    TAX_TWICE(Bucket.UNKNOWN, Category.ANOMALY, 2);

    /** The groups field studies of subscription companies report leaks in. */
    enum Bucket { PRICING, USAGE, DUNNING, CONTRACT, ENTITLEMENT, UNKNOWN }

    final Bucket bucket;
    final Category category;
    final int weight;

    Scenario(Bucket bucket, Category category, int weight) {
        this.bucket = bucket;
        this.category = category;
        this.weight = weight;
    }
}
