import java.lang.management.*;
import java.lang.reflect.*;
import java.net.*;
import java.nio.file.*;
import java.util.*;

/**
 * Interleaved A/B of TreeSHAP ({@code IsolationForest.explainRange}, what {@code explainAll} runs per thread) between
 * two builds of core: each build in its own class loader, the same data (10 features, standard normal with 1 % uniform
 * outliers, as in IsolationForestJmh) and forest seed; blocks of 256 rows alternate between the two on one thread,
 * timed in thread CPU time, so both see the same load. Prints the median per-row CPU time of each and the median ratio
 * new / base. With a fourth argument {@code score}, the same for scoring ({@code IsolationForest.scoreRange}, the
 * block scorer on one thread) in blocks of 8,192 rows. Build both first ({@code ./mvnw -B -q -pl core test-compile}
 * in each tree), then:
 *   taskset -c 0 java bench/ShapAB.java BASE_TREE NEW_TREE 400 [score]
 */
public class ShapAB {
    static final int COLS = 10;
    static boolean score;
    static int rows, block;

    public static void main(String[] a) throws Exception {
        score = a.length > 3 && a[3].equals("score");
        rows = score ? 100_000 : 20_000;
        block = score ? 8192 : 256;
        Object[] fa = setup(a[0]), fb = setup(a[1]);
        ThreadMXBean t = ManagementFactory.getThreadMXBean();
        int rounds = Integer.parseInt(a[2]);
        double[] ra = new double[rounds], rb = new double[rounds];
        for (int r = 0; r < rounds + 20; r++) {
            int from = (r * block) % (rows - block);
            long t0 = t.getCurrentThreadCpuTime(); run(fa, from); long t1 = t.getCurrentThreadCpuTime();
            run(fb, from); long t2 = t.getCurrentThreadCpuTime();
            if (r >= 20) { ra[r - 20] = (t1 - t0) / (double) block; rb[r - 20] = (t2 - t1) / (double) block; }
        }
        double[] ratio = new double[rounds];
        for (int i = 0; i < rounds; i++) ratio[i] = rb[i] / ra[i];
        Arrays.sort(ra); Arrays.sort(rb); Arrays.sort(ratio);
        double unit = score ? 1 : 1e3;
        String name = score ? "ns/row" : "us/row";
        System.out.printf(Locale.ROOT, "%s: base median %.1f %s, new median %.1f %s, ratio median %.3f (quartiles %.3f-%.3f) over %d interleaved blocks of %d rows%n",
                score ? "scoring" : "TreeSHAP", ra[rounds / 2] / unit, name, rb[rounds / 2] / unit, name, ratio[rounds / 2],
                ratio[rounds / 4], ratio[3 * rounds / 4], rounds, block);
    }
    static void run(Object[] f, int from) throws Exception {
        if (score) ((Method) f[1]).invoke(f[0], f[3], from, from + block, f[4]);
        else ((Method) f[1]).invoke(f[0], f[3], from, from + block, f[2], f[4]);
    }
    static Object[] setup(String root) throws Exception {
        URLClassLoader cl = new URLClassLoader(new URL[]{Path.of(root, "core/target/classes").toUri().toURL(),
                Path.of(root, "core/target/test-classes").toUri().toURL()}, ShapAB.class.getClassLoader().getParent());
        Class<?> fm = cl.loadClass("io.leakdetector.core.ml.FeatureMatrix");
        Class<?> iff = cl.loadClass("io.leakdetector.core.ml.IsolationForest");
        Class<?> td = cl.loadClass("io.leakdetector.core.ml.TestData");
        SplittableRandom rng = new SplittableRandom(42);
        double[] data = new double[rows * COLS];
        for (int r = 0; r < rows; r++) {
            boolean outlier = rng.nextInt(100) == 0;
            for (int c = 0; c < COLS; c++) data[r * COLS + c] = outlier ? rng.nextDouble(-6, 6) : rng.nextGaussian();
        }
        Method names = td.getDeclaredMethod("names", int.class); names.setAccessible(true);
        Method of = fm.getDeclaredMethod("ofRowMajor", List.class, double[].class);
        Object m = of.invoke(null, names.invoke(null, COLS), data);
        Method fit = iff.getDeclaredMethod("fit", fm, String.class);
        Object forest = fit.invoke(null, m, "ab");
        Method ws = iff.getDeclaredMethod("workspace"); ws.setAccessible(true);
        Object w = ws.invoke(forest);
        Method run = null;
        for (Method x : iff.getDeclaredMethods()) {
            if (score ? x.getName().equals("scoreRange") && x.getParameterCount() == 4 : x.getName().equals("explainRange")) run = x;
        }
        run.setAccessible(true);
        Object out = score ? new double[rows] : Array.newInstance(cl.loadClass("io.leakdetector.core.ml.Attribution"), rows);
        return new Object[]{forest, run, w, data, out};
    }
}
