package io.leakdetector.app.realtime;

import io.leakdetector.app.api.IngestResult;
import java.util.List;

/**
 * The answer to one real-time event: what was stored, the customer's new or updated findings with their risk
 * factors and explanation, and how long the service took.
 */
public record Decision(String eventId, String type, String customerId, List<IngestResult.Item> stored,
                       List<FindingDecision> findings, double processedInMs) {

    /** One finding the event created or changed: {@code change} is {@code new} or {@code updated}. */
    public record FindingDecision(String id, String change, String category, String kind, String subject,
                                  String currency, String amountOneTime, String amountMonthlyRecurring, double score,
                                  String confidence, double riskScore, List<Factor> factors, String explanation,
                                  String recommendedAction, List<String> matchedRules) {}

    /** One signal's part in the risk score. */
    public record Factor(String signal, double score, double weight, String reason) {}
}
