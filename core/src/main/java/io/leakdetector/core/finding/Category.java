package io.leakdetector.core.finding;

/** The leak taxonomy of DESIGN.md §5: every finding and every truth row has exactly one category. */
public enum Category {
    FAILED_PAYMENT(Kind.LEAK),
    DUPLICATE_BILLING(Kind.LEAK),
    PRICE_MISMATCH(Kind.LEAK),
    EXPIRED_DISCOUNT(Kind.LEAK),
    UNBILLED_USAGE(Kind.LEAK),
    MISSED_INVOICE(Kind.LEAK),
    UNBILLED_SERVICE(Kind.LEAK),
    SILENT_CHURN(Kind.RISK),
    REFUND_ANOMALY(Kind.LEAK),
    EXPIRING_PAYMENT_METHOD(Kind.RISK),
    LEGACY_PRICE(Kind.OPPORTUNITY),
    USAGE_REVENUE_GAP(Kind.LEAK),
    ANOMALY(Kind.LEAK);

    private final Kind defaultKind;

    Category(Kind defaultKind) {
        this.defaultKind = defaultKind;
    }

    /** The kind a finding of this category has unless the detector says otherwise (ANOMALY may be a risk). */
    public Kind defaultKind() {
        return defaultKind;
    }
}
