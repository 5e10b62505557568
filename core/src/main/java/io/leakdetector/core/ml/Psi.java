package io.leakdetector.core.ml;

import java.util.Arrays;

/**
 * Population stability index between a reference distribution (the training data's) and a recent one, over fixed
 * bins cut at the reference's deciles: {@code PSI = Σ (a_i − e_i) · ln(a_i / e_i)} with {@code e_i}, {@code a_i} the
 * shares of the reference and of the recent values in bin {@code i}; an empty bin's share is taken as 0.0001 so that
 * the sum stays finite. Conventional reading, used as thresholds: below 0.1 stable, 0.1–0.25 warn (a moderate
 * shift), 0.25 and above alert (a major shift: retrain).
 */
public final class Psi {
    public static final double WARN = 0.1;
    public static final double ALERT = 0.25;
    static final double EPSILON = 1e-4;

    private Psi() {}

    /** Interior bin edges at the reference's deciles, duplicates removed (a constant column has no edge: one bin). */
    public static double[] edges(double[] reference, int bins) {
        if (reference.length == 0) return new double[0];
        double[] sorted = reference.clone();
        Arrays.sort(sorted);
        double[] out = new double[bins - 1];
        int n = 0;
        for (int i = 1; i < bins; i++) {
            double q = sorted[(int) Math.min(sorted.length - 1, Math.floor((double) i * sorted.length / bins))];
            if (q > sorted[0] && (n == 0 || q > out[n - 1])) out[n++] = q;
        }
        return Arrays.copyOf(out, n);
    }

    /** Counts per bin ({@code edges.length + 1} bins; a value equal to an edge goes to the bin above it). */
    public static long[] histogram(double[] values, double[] edges) {
        long[] counts = new long[edges.length + 1];
        for (double v : values) counts[bin(v, edges)]++;
        return counts;
    }

    static int bin(double v, double[] edges) {
        int i = Arrays.binarySearch(edges, v);
        return i >= 0 ? i + 1 : -i - 1;
    }

    /** The PSI between two histograms over the same bins (NaN when either is empty). */
    public static double of(long[] expected, long[] actual) {
        if (expected.length != actual.length) throw new IllegalArgumentException("histograms over different bins");
        long te = 0, ta = 0;
        for (long c : expected) te += c;
        for (long c : actual) ta += c;
        if (te == 0 || ta == 0) return Double.NaN;
        double psi = 0;
        for (int i = 0; i < expected.length; i++) {
            double e = Math.max(EPSILON, (double) expected[i] / te);
            double a = Math.max(EPSILON, (double) actual[i] / ta);
            psi += (a - e) * Math.log(a / e);
        }
        return psi;
    }

    /** "stable", "warn" or "alert" for a PSI value ("unknown" for NaN). */
    public static String level(double psi) {
        if (Double.isNaN(psi)) return "unknown";
        return psi >= ALERT ? "alert" : psi >= WARN ? "warn" : "stable";
    }
}
