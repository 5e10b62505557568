package io.leakdetector.app.realtime;

import java.util.List;

/** Re-runs detection on one customer's stored state and returns the findings that are new or changed. */
interface CustomerDecider {
    List<Decision.FindingDecision> decide(String customerId);
}
