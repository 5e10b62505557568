package io.leakdetector.core.detect;

import io.leakdetector.core.finding.Category;
import io.leakdetector.core.ingest.EntityKind;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * EXPIRED_DISCOUNT: a subscription's percentage discount still applied to an invoice created on or after the
 * discount's end date (§5: a discount applies to invoices created before its end). Amount: the discount amount,
 * monthly recurring (annual ÷ 12). A discount inside its dates is not a finding.
 */
public final class ExpiredDiscountDetector implements Detector {
    private static final Set<EntityKind> READS = Set.copyOf(EnumSet.of(EntityKind.SUBSCRIPTIONS, EntityKind.SUBSCRIPTION_CHANGES, EntityKind.INVOICES, EntityKind.INVOICE_LINES));
    /** @param tolerancePerUnitMinor differences up to this many minor units per unit are rounding (default 1) */
    public record Config(long tolerancePerUnitMinor) {
        public static final Config DEFAULTS = new Config(1);
    }

    private final Config config;

    public ExpiredDiscountDetector(Config config) {
        this.config = config;
    }

    public ExpiredDiscountDetector() {
        this(Config.DEFAULTS);
    }

    @Override
    public Set<EntityKind> reads() {
        return READS;
    }

    @Override
    public Category category() {
        return Category.EXPIRED_DISCOUNT;
    }

    @Override
    public List<Detection> detect(CustomerHistory h, DetectionContext ctx) {
        return PricingFindings.of(InvoicePricing.Kind.EXPIRED_DISCOUNT, h, ctx, config.tolerancePerUnitMinor());
    }
}
