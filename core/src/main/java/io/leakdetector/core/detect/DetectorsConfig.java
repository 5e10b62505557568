package io.leakdetector.core.detect;

/**
 * The configuration of every rule detector and of the risk score, each with documented defaults
 * ({@link #DEFAULTS}). {@code suppressExplainedGaps}: drop a USAGE_REVENUE_GAP when a precise rule already
 * explains the same customer-month (default true).
 */
public record DetectorsConfig(FailedPaymentDetector.Config failedPayment, DuplicateBillingDetector.Config duplicateBilling,
                              PriceMismatchDetector.Config priceMismatch, ExpiredDiscountDetector.Config expiredDiscount,
                              UnbilledUsageDetector.Config unbilledUsage, MissedInvoiceDetector.Config missedInvoice,
                              UnbilledServiceDetector.Config unbilledService, SilentChurnDetector.Config silentChurn,
                              RefundAnomalyDetector.Config refundAnomaly, ExpiringPaymentMethodDetector.Config expiringPaymentMethod,
                              LegacyPriceDetector.Config legacyPrice, UsageRevenueGapDetector.Config usageRevenueGap,
                              RiskScorer.Config risk, boolean suppressExplainedGaps) {
    public static final DetectorsConfig DEFAULTS = new DetectorsConfig(FailedPaymentDetector.Config.DEFAULTS,
            DuplicateBillingDetector.Config.DEFAULTS, PriceMismatchDetector.Config.DEFAULTS, ExpiredDiscountDetector.Config.DEFAULTS,
            UnbilledUsageDetector.Config.DEFAULTS, MissedInvoiceDetector.Config.DEFAULTS, UnbilledServiceDetector.Config.DEFAULTS,
            SilentChurnDetector.Config.DEFAULTS, RefundAnomalyDetector.Config.DEFAULTS, ExpiringPaymentMethodDetector.Config.DEFAULTS,
            LegacyPriceDetector.Config.DEFAULTS, UsageRevenueGapDetector.Config.DEFAULTS, RiskScorer.Config.DEFAULTS, true);

    /** A copy with another FAILED_PAYMENT grace period. */
    public DetectorsConfig withGraceDays(int days) {
        return new DetectorsConfig(new FailedPaymentDetector.Config(days, failedPayment.toleranceMinor()), duplicateBilling,
                priceMismatch, expiredDiscount, unbilledUsage, missedInvoice, unbilledService, silentChurn, refundAnomaly,
                expiringPaymentMethod, legacyPrice, usageRevenueGap, risk, suppressExplainedGaps);
    }
}
