package io.leakdetector.app.realtime;

import io.leakdetector.app.api.IngestResult;
import java.util.List;

/**
 * The answer to one real-time event (snake_case on the wire, like every API document): what was stored, the customer's new or updated findings with their risk
 * factors and explanation, and how long the service took.
 */
public record Decision(String event_id, String type, String customer_id, List<IngestResult.Item> stored,
                       List<FindingDecision> findings, double processed_in_ms) {

    /** One finding the event created or changed: {@code change} is {@code new} or {@code updated}. */
    public record FindingDecision(String id, String change, String category, String kind, String subject,
                                  String currency, String amount_one_time, String amount_monthly_recurring, double score,
                                  String confidence, double risk_score, List<Factor> factors, String explanation,
                                  String recommended_action, List<String> matched_rules) {}

    /** One signal's part in the risk score. */
    public record Factor(String signal, double score, double weight, String reason) {}
}
