package io.leakdetector.core.ml;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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
        int positives = 0;
        for (boolean b : outlier) if (b) positives++;
        if (positives == 0 || positives == n) throw new IllegalArgumentException("the label column needs both 0 and 1 values");
        for (int s = 0; s < splits; s++) {
            int[] perm = new int[n];
            // A test part with one class only has no ROC-AUC (scikit-learn raises): draw that split again.
            for (int attempt = 0; ; attempt++) {
                if (attempt == 1000) throw new IllegalArgumentException("no 60/40 split with both classes in the test part after 1000 draws");
                for (int i = 0; i < n; i++) perm[i] = i;
                for (int i = n - 1; i > 0; i--) {
                    int j = splitter.nextInt(i + 1);
                    int t = perm[i];
                    perm[i] = perm[j];
                    perm[j] = t;
                }
                int found = 0;
                for (int i = 0; i < testSize; i++) if (outlier[perm[i]]) found++;
                if (found > 0 && found < testSize) break;
            }
            int[] test = java.util.Arrays.copyOfRange(perm, 0, testSize);
            int[] train = java.util.Arrays.copyOfRange(perm, testSize, n);
            auc[s] = evaluate(x, outlier, params.withSeed(params.seed() + 1 + s), train, test, s, splits);
        }
        double mean = 0;
        for (double a : auc) mean += a;
        return new Result(mean / splits, auc);
    }

    /**
     * The same protocol on given splits, e.g. the exact ones of PyOD's published table (numpy's
     * {@code RandomState(i)}, written out by {@code bench/odds_splits.py}): each entry holds the row indices of
     * one split's test part; the training part is every other row.
     */
    public static Result run(FeatureMatrix x, boolean[] outlier, IsolationForestParams params, List<int[]> testParts) {
        int n = x.rows();
        if (outlier.length != n) throw new IllegalArgumentException(n + " rows but " + outlier.length + " labels");
        double[] auc = new double[testParts.size()];
        for (int s = 0; s < auc.length; s++) {
            int[] test = testParts.get(s);
            boolean[] inTest = new boolean[n];
            for (int i : test) {
                if (i < 0 || i >= n || inTest[i]) throw new IllegalArgumentException("split " + (s + 1) + ": bad or repeated row index " + i);
                inTest[i] = true;
            }
            int[] train = new int[n - test.length];
            for (int i = 0, j = 0; i < n; i++) if (!inTest[i]) train[j++] = i;
            auc[s] = evaluate(x, outlier, params.withSeed(params.seed() + 1 + s), train, test, s, auc.length);
        }
        double mean = 0;
        for (double a : auc) mean += a;
        return new Result(mean / auc.length, auc);
    }

    /** Reads a splits file: one line per split, the comma-separated 0-based row indices of its test part. */
    public static List<int[]> readSplits(Path file) {
        List<int[]> out = new ArrayList<>();
        List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (IOException e) {
            throw new IllegalArgumentException(file + ": cannot read splits file (" + e.getMessage() + ")");
        }
        for (int l = 0; l < lines.size(); l++) {
            String line = lines.get(l).strip();
            if (line.isEmpty()) continue;
            String[] cells = line.split(",");
            int[] test = new int[cells.length];
            for (int i = 0; i < cells.length; i++) {
                try {
                    test[i] = Integer.parseInt(cells[i].strip());
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException(file.getFileName() + " line " + (l + 1) + ": not a row index: '" + cells[i] + "'");
                }
            }
            out.add(test);
        }
        if (out.isEmpty()) throw new IllegalArgumentException(file.getFileName() + ": no splits");
        return out;
    }

    private static double evaluate(FeatureMatrix x, boolean[] outlier, IsolationForestParams params, int[] train,
                                   int[] test, int split, int splits) {
        boolean[] labels = new boolean[test.length];
        for (int i = 0; i < test.length; i++) labels[i] = outlier[test[i]];
        FeatureMatrix[] scaled = standardize(x.select(train), x.select(test));
        IsolationForest forest = IsolationForest.fit(scaled[0], params, "pyod split " + (split + 1) + " of " + splits);
        return RocAuc.of(forest.scoreAll(scaled[1]), labels);
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
