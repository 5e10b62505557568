package io.leakdetector.core.detect;

import io.leakdetector.core.finding.Category;
import io.leakdetector.core.ingest.EntityKind;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * PRICE_MISMATCH: a subscription invoice charged below the contracted (negotiated) or list price valid for its
 * period, with no valid discount to explain it. Amount: monthly recurring expected − charged (annual ÷ 12).
 * A discount inside its dates, proration lines and the retired version a subscription is still on are not
 * mismatches.
 */
public final class PriceMismatchDetector implements Detector {
    private static final Set<EntityKind> READS = Set.copyOf(EnumSet.of(EntityKind.SUBSCRIPTIONS, EntityKind.SUBSCRIPTION_CHANGES, EntityKind.INVOICES, EntityKind.INVOICE_LINES));
    /** @param tolerancePerUnitMinor differences up to this many minor units per unit are rounding (default 1) */
    public record Config(long tolerancePerUnitMinor) {
        public static final Config DEFAULTS = new Config(1);
    }

    private final Config config;

    public PriceMismatchDetector(Config config) {
        this.config = config;
    }

    public PriceMismatchDetector() {
        this(Config.DEFAULTS);
    }

    @Override
    public Set<EntityKind> reads() {
        return READS;
    }

    @Override
    public Category category() {
        return Category.PRICE_MISMATCH;
    }

    @Override
    public List<Detection> detect(CustomerHistory h, DetectionContext ctx) {
        return PricingFindings.of(InvoicePricing.Kind.PRICE_MISMATCH, h, ctx, config.tolerancePerUnitMinor());
    }
}
