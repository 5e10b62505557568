package io.leakdetector.core.detect;

import java.time.Instant;
import java.util.Objects;

/**
 * What detectors share beyond one customer: the as-of time (nothing after it has happened yet), the read-only
 * price book, the segment norms that USAGE_REVENUE_GAP compares against, and where the billing data starts
 * ({@code dataStart}, null when unknown): a period before the first invoice in the data is outside what the data
 * can show, not a period nobody billed.
 */
public record DetectionContext(Instant asOf, PriceBook prices, SegmentNorms norms, Instant dataStart) {
    public DetectionContext {
        Objects.requireNonNull(asOf, "asOf");
        Objects.requireNonNull(prices, "prices");
        if (norms == null) norms = SegmentNorms.EMPTY;
    }

    public DetectionContext(Instant asOf, PriceBook prices, SegmentNorms norms) {
        this(asOf, prices, norms, null);
    }

    /** True when {@code t} lies inside the data window (on or after its start). */
    public boolean inData(Instant t) {
        return dataStart == null || !t.isBefore(dataStart);
    }
}
