package io.leakdetector.core.finding;

import io.leakdetector.core.money.Money;
import java.time.Instant;
import java.util.Currency;
import java.util.List;

/**
 * A leak, risk or opportunity on one subject, with its money, how sure we are, the evidence and the
 * explanation (DESIGN.md §5). One-time and monthly-recurring amounts are kept apart and never added.
 *
 * <p>{@code subject} follows the grammar {@code invoice:<id>}, {@code payment:<id>}, {@code refund:<id>},
 * {@code subscription:<id>}, {@code subscription:<id>@<YYYY-MM>}, {@code customer:<id>},
 * {@code customer:<id>@<YYYY-MM>}, {@code transaction:<id>}. {@code matchedRules} lists every rule that hit
 * the same subject, the primary one first.
 */
public record Finding(String id, Category category, Kind kind, String subject, String customerId,
                      Money amountOneTime, Money amountMonthlyRecurring, Currency currency, double score,
                      Confidence confidence, Instant detectedAt, List<Evidence> evidence, String explanation,
                      String recommendedAction, FindingStatus status, List<String> matchedRules) {
    public Finding {
        if (category == null) throw new IllegalArgumentException("category is required");
        if (kind == null) throw new IllegalArgumentException("kind is required");
        if (subject == null || subject.isBlank()) throw new IllegalArgumentException("subject is required");
        if (currency == null) throw new IllegalArgumentException("currency is required");
        if (amountOneTime == null) amountOneTime = Money.zero(currency);
        if (amountMonthlyRecurring == null) amountMonthlyRecurring = Money.zero(currency);
        if (!amountOneTime.currency().equals(currency) || !amountMonthlyRecurring.currency().equals(currency)) {
            throw new IllegalArgumentException("amounts must be in the finding's currency " + currency);
        }
        if (Double.isNaN(score) || score < 0 || score > 1) throw new IllegalArgumentException("score must be in [0, 1]: " + score);
        if (confidence == null) confidence = Confidence.ofScore(score);
        if (status == null) status = FindingStatus.OPEN;
        evidence = evidence == null ? List.of() : List.copyOf(evidence);
        matchedRules = matchedRules == null ? List.of() : List.copyOf(matchedRules);
    }
}
