package io.leakdetector.core.ml;

import java.util.List;

/**
 * Exact TreeSHAP attribution of one row's expected path length {@code E[h(x)]} (averaged over the trees) to its
 * features: {@code baseline + sum(contributions) == pathLength} up to rounding. {@code baseline} is the expected
 * path length of the path-dependent value function with no feature known (every split weighted by its training
 * cover). A negative contribution shortens the path, which makes the row more anomalous (higher score).
 *
 * @param score the anomaly score {@code s(x) = 2^(-pathLength / c(psi))}, in (0, 1]; above 0.5 is unusual
 */
public record Attribution(List<String> featureNames, double[] contributions, double baseline, double pathLength,
                          double score) {
    public Attribution {
        featureNames = List.copyOf(featureNames);
        if (contributions.length != featureNames.size()) {
            throw new IllegalArgumentException(contributions.length + " contributions for " + featureNames.size() + " features");
        }
        contributions = contributions.clone();
    }

    @Override
    public double[] contributions() { return contributions.clone(); }

    public double contribution(int feature) { return contributions[feature]; }

    /** {@code pathLength - baseline}: what the contributions add up to. */
    public double deviation() { return pathLength - baseline; }

    /** Sum of the contributions (equal to {@link #deviation()} within floating-point rounding). */
    public double sum() {
        double s = 0;
        for (double c : contributions) s += c;
        return s;
    }
}
