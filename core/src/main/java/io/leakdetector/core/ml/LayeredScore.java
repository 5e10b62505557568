package io.leakdetector.core.ml;

/**
 * The final score of a finding from the three detection layers (DESIGN.md §6, docs/ml.md "Final score"):
 *
 * <pre>
 *   u     = max(rule, anomaly)                      the unsupervised layers: rule risk score and Isolation Forest score
 *   final = u                                       while no supervised model is active
 *   final = (1 - w) * u + w * p                     with the supervised probability p, w = supervisedWeight (0.7)
 * </pre>
 *
 * All inputs are in [0, 1] (the rule score is the 0–100 risk score / 100; a missing layer counts 0), so is the result.
 * With w = 0.7, a finding the model learned to call a false alarm (p = 0) always ends below one it calls real
 * (p = 1): their difference is {@code 0.3 * (u_d - u_c) - 0.7 <= 0.3 - 0.7 < 0}. A dismissed pattern sinks.
 */
public record LayeredScore(double supervisedWeight) {
    public static final LayeredScore DEFAULT = new LayeredScore(0.7);

    public LayeredScore {
        if (!(supervisedWeight >= 0 && supervisedWeight <= 1)) throw new IllegalArgumentException("supervisedWeight must be in [0, 1]");
    }

    /** The unsupervised score: the larger of the rule score and the anomaly score (NaN counts as 0). */
    public static double unsupervised(double rule, double anomaly) {
        return Math.max(clamp(rule), clamp(anomaly));
    }

    /** The final score; {@code probability} NaN means no supervised model is active. */
    public double combine(double rule, double anomaly, double probability) {
        double u = unsupervised(rule, anomaly);
        if (Double.isNaN(probability)) return u;
        return (1 - supervisedWeight) * u + supervisedWeight * clamp(probability);
    }

    private static double clamp(double v) {
        return Double.isNaN(v) ? 0 : Math.max(0, Math.min(1, v));
    }
}
