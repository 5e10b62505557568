package io.leakdetector.core.detect;

import java.time.Instant;
import java.util.Objects;

/**
 * What detectors share beyond one customer: the as-of time (nothing after it has happened yet), the read-only
 * price book and the segment norms that USAGE_REVENUE_GAP compares against.
 */
public record DetectionContext(Instant asOf, PriceBook prices, SegmentNorms norms) {
    public DetectionContext {
        Objects.requireNonNull(asOf, "asOf");
        Objects.requireNonNull(prices, "prices");
        if (norms == null) norms = SegmentNorms.EMPTY;
    }
}
