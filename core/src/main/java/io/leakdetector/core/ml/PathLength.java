package io.leakdetector.core.ml;

/**
 * The normalisation of Isolation Forest (Liu, Ting and Zhou 2008): {@code c(n) = 2 H(n-1) - 2 (n-1) / n}, the
 * average path length of an unsuccessful search in a binary search tree of {@code n} points, with {@code H} the
 * harmonic number. {@code c(0) = c(1) = 0}, {@code c(2) = 1}.
 */
public final class PathLength {
    /** Harmonic numbers are summed exactly up to here; beyond, the asymptotic series is exact to double precision. */
    private static final int EXACT_LIMIT = 4096;
    private static final double EULER_GAMMA = 0.57721566490153286060651209;
    private static final double[] HARMONIC = new double[EXACT_LIMIT + 1];

    static {
        double h = 0, compensation = 0;   // Kahan summation: the table stays within an ulp of the true sums
        for (int i = 1; i <= EXACT_LIMIT; i++) {
            double y = 1.0 / i - compensation;
            double next = h + y;
            compensation = (next - h) - y;
            h = next;
            HARMONIC[i] = h;
        }
    }

    private PathLength() {}

    /** The harmonic number {@code H(i) = 1 + 1/2 + ... + 1/i}; {@code H(0) = 0}. */
    public static double harmonic(long i) {
        if (i < 0) throw new IllegalArgumentException("harmonic number of a negative count: " + i);
        if (i <= EXACT_LIMIT) return HARMONIC[(int) i];
        double x = i, inv2 = 1.0 / (x * x);
        // Euler–Maclaurin: ln i + gamma + 1/(2i) - 1/(12 i^2) + 1/(120 i^4); the next term is below 1e-16 here.
        return Math.log(x) + EULER_GAMMA + 0.5 / x - inv2 / 12.0 + inv2 * inv2 / 120.0;
    }

    /** {@code c(n)}: the expected path length of an unsuccessful search among {@code n} points. */
    public static double c(long n) {
        if (n <= 1) return 0.0;
        return 2.0 * harmonic(n - 1) - 2.0 * (n - 1) / (double) n;
    }
}
