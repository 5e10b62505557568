package io.leakdetector.core.ml;

import java.util.List;

/**
 * A trained scoring model over named numeric features: scores rows (higher is more unusual or more likely a
 * leak) and explains every score exactly, feature by feature. Isolation Forest implements it here; a supervised
 * model can implement it the same way so that callers do not care which one ranks.
 */
public interface Model {
    /** The features a row must carry, in order. */
    List<String> featureNames();

    /** The score of one row ({@code row.length == featureNames().size()}). */
    double score(double[] row);

    /** Scores of every row of {@code rows}, in order; rows are scored in parallel, results are deterministic. */
    double[] scoreAll(FeatureMatrix rows);

    /** The exact per-feature attribution of one row's score. */
    Attribution explain(double[] row);
}
