package io.leakdetector.core.ml;

import java.util.List;

/**
 * Where a model came from: serialisation format version, algorithm, hyperparameters, the features in input
 * order, a caller's description of the data window, the seed and the number of training rows. Contains nothing
 * that changes between two fits on the same data with the same seed, so such models serialise byte-identically.
 */
public record ModelProvenance(int formatVersion, String algorithm, IsolationForestParams params, int effectiveSubsample,
                              int maxDepth, List<String> featureNames, String dataWindow, int trainingRows) {
    public ModelProvenance {
        if (algorithm == null || algorithm.isBlank()) throw new IllegalArgumentException("algorithm is required");
        featureNames = List.copyOf(featureNames);
        dataWindow = dataWindow == null ? "" : dataWindow;
    }

    public long seed() { return params.seed(); }
}
