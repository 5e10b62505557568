package io.leakdetector.core.detect;

import io.leakdetector.core.finding.Category;
import java.util.List;

/**
 * One rule family of DESIGN.md §5: looks at one customer's state and returns what it found, with the evidence.
 * A detector never knows whether a batch scan or a real-time event called it, and keeps no state between calls.
 */
public interface Detector {
    /** The category every detection of this detector has. */
    Category category();

    /** Everything this detector finds in one customer's history at {@code context.asOf()}; never null. */
    List<Detection> detect(CustomerHistory history, DetectionContext context);
}
