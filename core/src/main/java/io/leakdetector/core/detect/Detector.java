package io.leakdetector.core.detect;

import io.leakdetector.core.finding.Category;
import io.leakdetector.core.ingest.EntityKind;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * One rule family of DESIGN.md §5: looks at one customer's state and returns what it found, with the evidence.
 * A detector never knows whether a batch scan or a real-time event called it, and keeps no state between calls.
 */
public interface Detector {
    /** The category every detection of this detector has. */
    Category category();

    /**
     * The kinds of record this detector looks at (besides the price book and the as-of time): a record of another
     * kind cannot change what it finds, so the real-time path need not re-run it for such an event. Every kind
     * unless a detector says otherwise.
     */
    default Set<EntityKind> reads() {
        return EnumSet.allOf(EntityKind.class);
    }

    /** Everything this detector finds in one customer's history at {@code context.asOf()}; never null. */
    List<Detection> detect(CustomerHistory history, DetectionContext context);
}
