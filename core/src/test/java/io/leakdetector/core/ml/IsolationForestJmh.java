package io.leakdetector.core.ml;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * JMH benchmark of the Isolation Forest on one thread (benchmark, not a test; command and figures in BENCHMARKS.md):
 * scoring per row with the block scorer and with the row-by-row tree walk it replaced, and exact TreeSHAP per row
 * one row at a time ({@code explain}) and in blocks ({@code explainAll}'s per-thread loop). Data: 10 features,
 * standard normal with 1 % uniform outliers in [-6, 6], as bench/iforest_vs_sklearn.py makes; 100 trees, psi = 256.
 * Every figure is a time per row ({@code @OperationsPerInvocation} = rows per call). Besides JMH's wall-clock
 * score, each benchmark counts the CPU time of its thread and the rows it did ({@link Cpu}, secondary results
 * {@code cpuNanos} and {@code rows} per iteration): on a shared machine wall time mostly measures the other
 * processes, CPU time per row is the per-core figure (bench/iforest_jmh.sh takes the median over iterations).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@Fork(value = 1, jvmArgs = {"-Xmx2g"})
@Threads(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 7, time = 2)
public class IsolationForestJmh {
    static final int COLS = 10;
    static final int SCORE_ROWS = 65_536;
    static final int SHAP_ROWS = 512;

    IsolationForest forest;
    double[] data;
    double[] out;
    Attribution[] attributions;
    TreeShap.Workspace workspace;

    /** CPU nanoseconds of the benchmark thread and rows done, summed per iteration (JMH secondary results). */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.EVENTS)
    public static class Cpu {
        private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
        public long cpuNanos;
        public long rows;

        @Setup(Level.Iteration)
        public void reset() {
            cpuNanos = 0;
            rows = 0;
        }

        long now() { return THREADS.getCurrentThreadCpuTime(); }

        void add(long since, int count) {
            cpuNanos += now() - since;
            rows += count;
        }
    }

    @Setup
    public void setUp() {
        SplittableRandom rng = new SplittableRandom(42);
        int rows = 100_000;
        data = new double[rows * COLS];
        for (int r = 0; r < rows; r++) {
            boolean outlier = rng.nextInt(100) == 0;
            for (int c = 0; c < COLS; c++) data[r * COLS + c] = outlier ? rng.nextDouble(-6, 6) : rng.nextGaussian();
        }
        forest = IsolationForest.fit(FeatureMatrix.ofRowMajor(TestData.names(COLS), data), "jmh");
        out = new double[rows];
        attributions = new Attribution[SHAP_ROWS];
        workspace = forest.workspace();
    }

    @Benchmark
    @OutputTimeUnit(TimeUnit.NANOSECONDS)
    @OperationsPerInvocation(SCORE_ROWS)
    public double[] scoreBlocks(Cpu cpu) {
        long t0 = cpu.now();
        forest.scoreRange(data, 0, SCORE_ROWS, out, true);
        cpu.add(t0, SCORE_ROWS);
        return out;
    }

    @Benchmark
    @OutputTimeUnit(TimeUnit.NANOSECONDS)
    @OperationsPerInvocation(SCORE_ROWS)
    public double[] scoreRowByRow(Cpu cpu) {
        long t0 = cpu.now();
        forest.scoreRange(data, 0, SCORE_ROWS, out, false);
        cpu.add(t0, SCORE_ROWS);
        return out;
    }

    @Benchmark
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    @OperationsPerInvocation(SHAP_ROWS)
    public Attribution[] treeShapBlocks(Cpu cpu) {
        long t0 = cpu.now();
        forest.explainRange(data, 0, SHAP_ROWS, workspace, attributions);
        cpu.add(t0, SHAP_ROWS);
        return attributions;
    }

    @Benchmark
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    @OperationsPerInvocation(SHAP_ROWS)
    public Attribution[] treeShapOneRowAtATime(Cpu cpu) {
        long t0 = cpu.now();
        for (int r = 0; r < SHAP_ROWS; r++) attributions[r] = forest.explain(data, r * COLS, workspace);
        cpu.add(t0, SHAP_ROWS);
        return attributions;
    }
}
