package io.leakdetector.core.ml;

import java.util.Arrays;

/**
 * Area under the ROC curve as the Mann–Whitney statistic: the probability that a random positive scores above a
 * random negative, ties counting one half (average ranks), the same value scikit-learn's {@code roc_auc_score}
 * gives.
 */
public final class RocAuc {
    private RocAuc() {}

    /** @param positive {@code true} for the positive class (an outlier); both classes must be present */
    public static double of(double[] scores, boolean[] positive) {
        int n = scores.length;
        if (positive.length != n) throw new IllegalArgumentException(n + " scores but " + positive.length + " labels");
        Integer[] boxed = new Integer[n];
        for (int i = 0; i < n; i++) {
            if (Double.isNaN(scores[i])) throw new IllegalArgumentException("score " + i + " is NaN");
            boxed[i] = i;
        }
        Arrays.sort(boxed, (a, b) -> Double.compare(scores[a], scores[b]));
        long positives = 0;
        double rankSum = 0;
        for (int i = 0; i < n; ) {
            int j = i;
            while (j + 1 < n && scores[boxed[j + 1]] == scores[boxed[i]]) j++;
            double averageRank = (i + j) / 2.0 + 1;   // 1-based ranks i+1 .. j+1
            for (int t = i; t <= j; t++) {
                if (positive[boxed[t]]) {
                    positives++;
                    rankSum += averageRank;
                }
            }
            i = j + 1;
        }
        long negatives = n - positives;
        if (positives == 0 || negatives == 0) {
            throw new IllegalArgumentException("ROC-AUC needs both classes; found " + positives + " positive and " + negatives + " negative");
        }
        return (rankSum - positives * (positives + 1) / 2.0) / ((double) positives * negatives);
    }
}
