package io.leakdetector.core.ml;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Arrays;
import java.util.Locale;

/**
 * Speed of our Isolation Forest (benchmark, not a test): fit, scoring on one thread and on all, exact TreeSHAP per
 * row (and Algorithm 2 for comparison). Reads the same raw little-endian float64 matrix that
 * bench/iforest_vs_sklearn.py gives scikit-learn; prints one {@code key=value} line per figure (medians).
 * Run through bench/iforest_vs_sklearn.sh.
 *
 * <p>Arguments: {@code DATA.f64 ROWS COLS TRAIN_ROWS [REPS] [SHAP_ROWS]}.
 */
public final class IsolationForestBench {
    private IsolationForestBench() {}

    public static void main(String[] args) throws IOException {
        Path file = Paths.get(args[0]);
        int rows = Integer.parseInt(args[1]), cols = Integer.parseInt(args[2]), trainRows = Integer.parseInt(args[3]);
        int reps = args.length > 4 ? Integer.parseInt(args[4]) : 7;
        int shapRows = args.length > 5 ? Integer.parseInt(args[5]) : 20_000;
        double[] data = new double[rows * cols];
        ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN).asDoubleBuffer().get(data);
        FeatureMatrix all = FeatureMatrix.wrap(TestData.names(cols), data);
        FeatureMatrix train = FeatureMatrix.wrap(TestData.names(cols), Arrays.copyOf(data, trainRows * cols));
        IsolationForestParams params = IsolationForestParams.defaults();

        // Times are the CPU time of the measuring thread (what "per core" means), robust against other processes
        // on a shared machine; wall-clock medians are printed beside them.
        double[] fit = new double[reps], fitWall = new double[reps];
        IsolationForest forest = null;
        for (int i = -2; i < reps; i++) {          // two warm-up rounds for the JIT
            long w0 = System.nanoTime(), c0 = cpu();
            forest = IsolationForest.fitSequential(train, params, "bench");
            if (i >= 0) {
                fit[i] = (cpu() - c0) / 1e9;
                fitWall[i] = (System.nanoTime() - w0) / 1e9;
            }
        }
        double[] one = new double[reps], oneWall = new double[reps], parallel = new double[reps];
        double[] out = new double[rows];
        double checksum = 0;
        for (int i = -2; i < reps; i++) {
            long w0 = System.nanoTime(), c0 = cpu();
            forest.scoreRange(data, 0, rows, out);
            long c1 = cpu(), w1 = System.nanoTime();
            double[] p = forest.scoreAll(all);
            long w2 = System.nanoTime();
            if (i >= 0) {
                one[i] = (c1 - c0) / 1e9;
                oneWall[i] = (w1 - w0) / 1e9;
                parallel[i] = (w2 - w1) / 1e9;
            }
            checksum += out[rows / 2] + p[rows / 3];
        }
        int nShap = Math.min(shapRows, rows);
        TreeShap.Workspace ws = forest.shap().workspace(maxNodes(forest));
        double[] shap = new double[reps], shapWall = new double[reps], algorithm2 = new double[Math.max(1, reps / 2)];
        for (int i = -2; i < reps; i++) {
            long w0 = System.nanoTime(), c0 = cpu();
            for (int r = 0; r < nShap; r++) checksum += forest.explain(data, r * cols, ws).sum();
            if (i >= 0) {
                shap[i] = (cpu() - c0) / 1e3 / nShap;
                shapWall[i] = (System.nanoTime() - w0) / 1e3 / nShap;
            }
        }
        // The same rows through explainRange (tree-outer over blocks of rows, what explainAll runs per thread).
        double[] shapBatch = new double[reps];
        Attribution[] batch = new Attribution[nShap];
        for (int i = -2; i < reps; i++) {
            long c0 = cpu();
            forest.explainRange(data, 0, nShap, ws, batch);
            if (i >= 0) shapBatch[i] = (cpu() - c0) / 1e3 / nShap;
            checksum += batch[nShap / 2].sum();
        }
        int nAlg2 = Math.max(1, nShap / 10);
        for (int i = -1; i < algorithm2.length; i++) {
            long c0 = cpu();
            for (int r = 0; r < nAlg2; r++) {
                double[] x = Arrays.copyOfRange(data, r * cols, (r + 1) * cols);
                for (int t = 0; t < forest.treeCount(); t++) checksum += Algorithm2TreeShap.shap(forest.tree(t), x)[0];
            }
            if (i >= 0) algorithm2[i] = (cpu() - c0) / 1e3 / nAlg2;
        }
        int nodes = 0, leaves = 0;
        for (int t = 0; t < forest.treeCount(); t++) {
            nodes += forest.tree(t).size();
            for (int f : forest.tree(t).feature) if (f < 0) leaves++;
        }
        System.out.printf(Locale.ROOT, "java_threads=%d%n", Runtime.getRuntime().availableProcessors());
        System.out.printf(Locale.ROOT, "java_fit_cpu_s=%.4f%n", median(fit));
        System.out.printf(Locale.ROOT, "java_fit_wall_s=%.4f%n", median(fitWall));
        System.out.printf(Locale.ROOT, "java_score_1thread_cpu_s=%.4f%n", median(one));
        System.out.printf(Locale.ROOT, "java_score_1thread_wall_s=%.4f%n", median(oneWall));
        System.out.printf(Locale.ROOT, "java_score_rows_per_cpu_s=%.0f%n", rows / median(one));
        System.out.printf(Locale.ROOT, "java_score_all_threads_wall_s=%.4f%n", median(parallel));
        System.out.printf(Locale.ROOT, "java_treeshap_us_per_row_cpu=%.2f%n", median(shap));
        System.out.printf(Locale.ROOT, "java_treeshap_us_per_row_wall=%.2f%n", median(shapWall));
        System.out.printf(Locale.ROOT, "java_treeshap_batch_us_per_row_cpu=%.2f%n", median(shapBatch));
        System.out.printf(Locale.ROOT, "java_algorithm2_us_per_row_cpu=%.2f%n", median(algorithm2));
        System.out.printf(Locale.ROOT, "java_mean_nodes_per_tree=%.1f%n", nodes / (double) forest.treeCount());
        System.out.printf(Locale.ROOT, "java_mean_leaves_per_tree=%.1f%n", leaves / (double) forest.treeCount());
        System.out.printf(Locale.ROOT, "java_checksum=%.3f%n", checksum);
        Path scores = Paths.get(System.getProperty("scores.out", ""));
        if (!scores.toString().isEmpty()) {
            StringBuilder s = new StringBuilder();
            for (double v : forest.scoreAll(all)) s.append(v).append('\n');
            Files.writeString(scores, s);
        }
    }

    private static final java.lang.management.ThreadMXBean THREADS = java.lang.management.ManagementFactory.getThreadMXBean();

    private static long cpu() { return THREADS.getCurrentThreadCpuTime(); }

    private static int maxNodes(IsolationForest forest) {
        int m = 1;
        for (int t = 0; t < forest.treeCount(); t++) m = Math.max(m, forest.tree(t).size());
        return m;
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }
}
