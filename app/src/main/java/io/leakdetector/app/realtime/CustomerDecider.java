package io.leakdetector.app.realtime;

import io.leakdetector.core.finding.Finding;
import io.leakdetector.core.ingest.EntityKind;
import java.util.List;
import java.util.Set;

/**
 * Re-runs detection on one customer's in-memory state after an event whose records are of the {@code touched}
 * kinds, and says which findings are new or changed: those go into the answer and are saved with the event.
 */
interface CustomerDecider {
    Outcome decide(CustomerState state, Set<EntityKind> touched);

    /** The answer's findings, and the findings to write: new ones and changed ones. */
    record Outcome(List<Decision.FindingDecision> decisions, List<Finding> created, List<Finding> updated) {
        static final Outcome NONE = new Outcome(List.of(), List.of(), List.of());
    }
}
