package io.leakdetector.core.ml;

/**
 * Shapley values by enumerating every subset of features, with the value function of Lundberg et al. (2018),
 * Algorithm 1: a split on a known feature follows the row, on an unknown one averages its children by cover.
 * Exponential in the number of features: for small test trees only.
 */
final class BruteForceShapley {
    private BruteForceShapley() {}

    static double expectedValue(IsolationTree tree, double[] x, int known) {
        return value(tree, 0, x, known);
    }

    private static double value(IsolationTree tree, int node, double[] x, int known) {
        int f = tree.feature[node];
        if (f < 0) return tree.value[node];
        int left = node + 1, right = tree.right[node];
        if ((known & (1 << f)) != 0) return value(tree, x[f] <= tree.threshold[node] ? left : right, x, known);
        return (tree.cover[left] * value(tree, left, x, known) + tree.cover[right] * value(tree, right, x, known))
                / tree.cover[node];
    }

    static double[] shapley(IsolationTree tree, double[] x) {
        int m = x.length;
        if (m > 20) throw new IllegalArgumentException("too many features to enumerate: " + m);
        double[] v = new double[1 << m];
        for (int s = 0; s < v.length; s++) v[s] = expectedValue(tree, x, s);
        double[] factorial = new double[m + 1];
        factorial[0] = 1;
        for (int i = 1; i <= m; i++) factorial[i] = factorial[i - 1] * i;
        double[] phi = new double[m];
        for (int i = 0; i < m; i++) {
            for (int s = 0; s < v.length; s++) {
                if ((s & (1 << i)) != 0) continue;
                int size = Integer.bitCount(s);
                double weight = factorial[size] * factorial[m - size - 1] / factorial[m];
                phi[i] += weight * (v[s | (1 << i)] - v[s]);
            }
        }
        return phi;
    }
}
