package io.leakdetector.core.ml;

import java.util.SplittableRandom;

/**
 * PyOD's benchmark protocol (notebooks/benchmark.py of yzhao062/pyod) for an Isolation Forest: for each split, a
 * random 60/40 train/test split without stratification ({@code train_test_split(X, y, test_size=0.4)}: the test
 * part has {@code ceil(0.4 n)} rows), z-scores with the training part's mean and population standard deviation
 * ({@code standardizer}; a constant column keeps scale 1), fit on the training part, ROC-AUC of the test part's
 * scores; the result is the mean over the splits. The splits come from our own seeded generator, not numpy's.
 */
public final class PyodBenchmark {
    public static final int DEFAULT_SPLITS = 10;
    public static final double TEST_SHARE = 0.4;

    /** Per-split ROC-AUC values and their mean. */
    public record Result(double meanRocAuc, double[] rocAuc) {
        public int splits() { return rocAuc.length; }
    }

    private PyodBenchmark() {}

    public static Result run(FeatureMatrix x, boolean[] outlier, IsolationForestParams params, int splits) {
        int n = x.rows();
        if (outlier.length != n) throw new IllegalArgumentException(n + " rows but " + outlier.length + " labels");
        if (splits < 1) throw new IllegalArgumentException("splits must be at least 1: " + splits);
        int testSize = (int) Math.ceil(TEST_SHARE * n);
        int trainSize = n - testSize;
        if (trainSize < 1) throw new IllegalArgumentException("too few rows for a 60/40 split: " + n);
        double[] auc = new double[splits];
        SplittableRandom splitter = new SplittableRandom(params.seed());
        for (int s = 0; s < splits; s++) {
            int[] perm = new int[n];
            for (int i = 0; i < n; i++) perm[i] = i;
            for (int i = n - 1; i > 0; i--) {
                int j = splitter.nextInt(i + 1);
                int t = perm[i];
                perm[i] = perm[j];
                perm[j] = t;
            }
            int[] test = java.util.Arrays.copyOfRange(perm, 0, testSize);
            int[] train = java.util.Arrays.copyOfRange(perm, testSize, n);
            FeatureMatrix[] scaled = standardize(x.select(train), x.select(test));
            IsolationForest forest = IsolationForest.fit(scaled[0], params.withSeed(params.seed() + 1 + s),
                    "pyod split " + (s + 1) + " of " + splits);
            double[] scores = forest.scoreAll(scaled[1]);
            boolean[] labels = new boolean[testSize];
            for (int i = 0; i < testSize; i++) labels[i] = outlier[test[i]];
            auc[s] = RocAuc.of(scores, labels);
        }
        double mean = 0;
        for (double a : auc) mean += a;
        return new Result(mean / splits, auc);
    }

    /** Z-scores both parts with the mean and population standard deviation of {@code train}. */
    static FeatureMatrix[] standardize(FeatureMatrix train, FeatureMatrix test) {
        int cols = train.cols();
        double[] mean = new double[cols], scale = new double[cols];
        double[] a = train.data();
        int n = train.rows();
        for (int r = 0; r < n; r++) for (int c = 0; c < cols; c++) mean[c] += a[r * cols + c];
        for (int c = 0; c < cols; c++) mean[c] /= n;
        for (int r = 0; r < n; r++) {
            for (int c = 0; c < cols; c++) {
                double d = a[r * cols + c] - mean[c];
                scale[c] += d * d;
            }
        }
        for (int c = 0; c < cols; c++) {
            double sd = Math.sqrt(scale[c] / n);
            scale[c] = sd == 0 ? 1 : sd;
        }
        return new FeatureMatrix[] {apply(train, mean, scale), apply(test, mean, scale)};
    }

    private static FeatureMatrix apply(FeatureMatrix m, double[] mean, double[] scale) {
        int cols = m.cols();
        double[] in = m.data(), out = new double[in.length];
        for (int i = 0; i < in.length; i++) out[i] = (in[i] - mean[i % cols]) / scale[i % cols];
        return FeatureMatrix.wrap(m.featureNames(), out);
    }
}
