package io.leakdetector.core.ml;

import java.util.List;

/** Trains and loads {@link SupervisedModel}s: the seam between core's ML code and the gradient-boosting library. */
public interface SupervisedLearner {
    /**
     * Fits a model on {@code rows} with one label per row ({@code true} = confirmed leak, {@code false} =
     * dismissed). Both classes must be present.
     */
    SupervisedModel fit(FeatureMatrix rows, boolean[] labels, SupervisedParams params);

    /** A model from the bytes {@link SupervisedModel#toBytes()} wrote, over the given features. */
    SupervisedModel load(List<String> featureNames, byte[] bytes);
}
