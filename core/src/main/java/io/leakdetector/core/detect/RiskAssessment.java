package io.leakdetector.core.detect;

import java.util.List;

/** A 0–100 risk score with the factors that produced it (the real-time API returns both). */
public record RiskAssessment(double score, List<RiskFactor> factors) {
    public RiskAssessment {
        factors = List.copyOf(factors);
    }

    /** The score as the finding's 0–1 {@code score}. */
    public double unit() {
        return Math.max(0, Math.min(1, score / 100.0));
    }
}
