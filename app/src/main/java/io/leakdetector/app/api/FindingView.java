package io.leakdetector.app.api;

import io.leakdetector.core.finding.Evidence;
import io.leakdetector.core.finding.Finding;
import java.time.Instant;
import java.util.List;

/**
 * A finding as the API shows it (DESIGN.md §5 fields, snake_case): amounts as decimal strings in the finding's
 * currency; one-time and monthly recurring never added.
 */
public record FindingView(String id, String category, String kind, String subject, String customer_id, String currency,
                   String amount_one_time, String amount_monthly_recurring, double score, String confidence,
                   Instant detected_at, String status, String explanation, String recommended_action,
                   List<Evidence> evidence, List<String> matched_rules) {

    public static FindingView of(Finding f) {
        return new FindingView(f.id(), f.category().name(), f.kind().wire(), f.subject(), f.customerId(),
                f.currency().getCurrencyCode(), f.amountOneTime().toPlainString(), f.amountMonthlyRecurring().toPlainString(),
                f.score(), f.confidence().wire(), f.detectedAt(), f.status().wire(), f.explanation(), f.recommendedAction(),
                f.evidence(), f.matchedRules());
    }
}
