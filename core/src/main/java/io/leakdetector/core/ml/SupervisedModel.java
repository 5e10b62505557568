package io.leakdetector.core.ml;

import java.util.List;

/**
 * A trained binary classifier over named features that learned from analysts' labels: {@link #score} is the
 * probability that a row is a real leak (label "confirmed"), and {@link #explain} gives exact per-feature
 * contributions. The implementation (XGBoost) sits behind this interface so that nothing else in core names it.
 *
 * <p>Sign convention of {@link #explain}: the returned {@link Attribution} is the one {@link Explanation} reads for
 * every model, where a <b>negative</b> contribution pushes the row towards "flag it". Its {@code contributions} are
 * therefore the TreeSHAP values of the log-odds with the sign flipped, {@code baseline} is minus the base log-odds and
 * {@code pathLength} is minus the row's log-odds, so {@code baseline + sum == pathLength} still holds exactly as for
 * the Isolation Forest, and {@code score} is the probability.
 */
public interface SupervisedModel extends Model {
    /** The name of the algorithm, e.g. {@code "xgboost"}. */
    String algorithm();

    /** The row's log-odds (margin) of being a real leak. */
    double margin(double[] row);

    /** The model in the implementation's own portable format (what the registry stores). */
    byte[] toBytes();

    /** Per feature (same order as {@link #featureNames()}): mean absolute contribution on the training rows. */
    List<Double> featureImportance();
}
