package io.leakdetector.core.detect;

import io.leakdetector.core.finding.Category;
import io.leakdetector.core.finding.Evidence;
import io.leakdetector.core.finding.Kind;
import io.leakdetector.core.money.Money;
import java.util.List;
import java.util.Objects;

/**
 * What a rule found on one subject before scoring: the money (one-time and monthly recurring, never added),
 * the evidence, a sentence a controller understands, the action, and the signals the risk score weighs.
 * {@link DetectionEngine} turns it into a {@link io.leakdetector.core.finding.Finding}.
 */
public record Detection(Category category, Kind kind, String rule, String subject, String customerId,
                        Money amountOneTime, Money amountMonthlyRecurring, List<Evidence> evidence,
                        String explanation, String recommendedAction, List<Signal> signals) {
    public Detection {
        Objects.requireNonNull(category, "category");
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(amountOneTime, "amountOneTime");
        Objects.requireNonNull(amountMonthlyRecurring, "amountMonthlyRecurring");
        if (!amountOneTime.currency().equals(amountMonthlyRecurring.currency())) {
            throw new IllegalArgumentException("one-time and recurring amounts must share a currency");
        }
        if (kind == null) kind = category.defaultKind();
        evidence = List.copyOf(evidence);
        signals = List.copyOf(signals);
        if (explanation == null || explanation.isBlank()) throw new IllegalArgumentException("explanation is required");
    }

    /** A raw signal for the risk score: a name, a value in [0, 1] and why it has that value. */
    public record Signal(String name, double value, String reason) {
        public Signal {
            if (Double.isNaN(value)) value = 0;
            value = Math.max(0, Math.min(1, value));
        }
    }
}
