package io.leakdetector.core.ml;

/**
 * Hyperparameters of an {@link IsolationForest}: number of trees, rows drawn (without replacement) per tree, and
 * the seed of all random choices. The depth limit follows from the subsample: {@code ceil(log2 psi)}.
 */
public record IsolationForestParams(int trees, int subsampleSize, long seed) {
    /** The defaults of Liu et al. and scikit-learn: 100 trees of 256 rows. */
    public static final int DEFAULT_TREES = 100;
    public static final int DEFAULT_SUBSAMPLE = 256;
    /** A fixed default seed so that two runs on the same data give the same model. */
    public static final long DEFAULT_SEED = 20080812L;

    public IsolationForestParams {
        if (trees < 1) throw new IllegalArgumentException("trees must be at least 1: " + trees);
        if (subsampleSize < 2) throw new IllegalArgumentException("subsample size must be at least 2: " + subsampleSize);
    }

    public static IsolationForestParams defaults() {
        return new IsolationForestParams(DEFAULT_TREES, DEFAULT_SUBSAMPLE, DEFAULT_SEED);
    }

    public IsolationForestParams withTrees(int n) { return new IsolationForestParams(n, subsampleSize, seed); }

    public IsolationForestParams withSubsampleSize(int n) { return new IsolationForestParams(trees, n, seed); }

    public IsolationForestParams withSeed(long s) { return new IsolationForestParams(trees, subsampleSize, s); }

    /** The depth limit for a subsample of {@code psi} rows: {@code ceil(log2 psi)}, the average tree height. */
    public static int maxDepth(int psi) {
        int p = Math.max(psi, 2);
        return 32 - Integer.numberOfLeadingZeros(p - 1);
    }
}
