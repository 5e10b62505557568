package io.leakdetector.core.ml;

/**
 * Exact path-dependent TreeSHAP for one tree in two linear passes over its nodes, {@code O(nodes * k)} per row.
 *
 * <p>The value function is the one of Lundberg et al. (2018), Algorithm 1: with the features in {@code S} known,
 * a split on a known feature follows the row, a split on an unknown one averages both children weighted by their
 * training cover. Each leaf then contributes a product game {@code v * prod_j (j in S ? o_j : z_j)} over the
 * distinct features {@code j} on its path ({@code o_j} = the row follows every split on {@code j} there,
 * {@code z_j} = product of the cover ratios of those splits), whose Shapley value is
 * {@code (o_i - z_i) * integral_0^1 prod_{j != i} (p o_j + (1 - p) z_j) dp} (the Shapley weights are the Beta
 * integrals of {@code p^|S| (1 - p)^(M - |S| - 1)}). The integrand is a polynomial of degree below the depth
 * limit, so Gauss–Legendre quadrature with {@code ceil(depth / 2)} points computes it exactly. Summing the
 * integrand over the leaves below each node (the "Linear TreeSHAP" idea of Yu et al. 2022) gives every feature's
 * value without visiting a leaf more than once. Repeated splits on one feature along a path are merged exactly as
 * in Algorithm 2; the contribution of a repeated split telescopes so that no leaf is excluded or counted twice.
 * The result equals Algorithm 2 (checked against it and against brute-force enumeration in the tests).
 */
final class TreeShap {
    private final GaussLegendre quad;
    private final int k;

    TreeShap(int maxDepth) {
        this.k = Math.max(1, (maxDepth + 1) / 2);
        this.quad = new GaussLegendre(k);
    }

    int points() { return k; }

    /** Per-thread scratch sized for the largest tree. */
    final class Workspace {
        final double[] r;   // R_k(node): product of the path's merged factors at each point
        final double[] f;   // F_k(node): merged factor of the parent's feature on the edge into node
        final double[] g;   // g_k(node): factor the edge adds to R (F over the previous merged factor)
        final double[] t;   // T_k(node): sum over leaves below of value * R(leaf) / R(node)
        final boolean[] o;  // merged "row follows every split on the parent's feature" on the edge into node

        Workspace(int maxNodes) {
            r = new double[maxNodes * k];
            f = new double[maxNodes * k];
            g = new double[maxNodes * k];
            t = new double[maxNodes * k];
            o = new boolean[maxNodes];
        }
    }

    Workspace workspace(int maxNodes) { return new Workspace(maxNodes); }

    /** Adds {@code scale} times this tree's SHAP values for the row at {@code x[offset..]} to {@code phi}. */
    void accumulate(IsolationTree tree, double[] x, int offset, double scale, Workspace w, double[] phi) {
        final int n = tree.size();
        final int[] feature = tree.feature;
        final double[] threshold = tree.threshold;
        final int[] right = tree.right;
        final int[] prevSame = tree.prevSame;
        final double[] zMerged = tree.zMerged;
        final double[] value = tree.value;
        final double[] p = quad.points, wq = quad.weights;
        final double[] r = w.r, f = w.f, g = w.g, t = w.t;
        final boolean[] o = w.o;
        final int k = this.k;
        for (int q = 0; q < k; q++) r[q] = 1.0;

        // Top-down: R of both children of every internal node (preorder puts parents first).
        for (int node = 0; node < n; node++) {
            int feat = feature[node];
            if (feat < 0) continue;
            boolean goLeft = x[offset + feat] <= threshold[node];
            int base = node * k;
            for (int side = 0; side < 2; side++) {
                int c = side == 0 ? node + 1 : right[node];
                boolean follows = (side == 0) == goLeft;
                int prev = prevSame[c];
                if (prev >= 0) follows &= o[prev];
                o[c] = follows;
                double z = zMerged[c];
                int cb = c * k;
                if (prev < 0) {
                    for (int q = 0; q < k; q++) {
                        double fq = follows ? z + p[q] * (1 - z) : (1 - p[q]) * z;
                        f[cb + q] = fq;
                        g[cb + q] = fq;
                        r[cb + q] = r[base + q] * fq;
                    }
                } else {
                    int pb = prev * k;
                    for (int q = 0; q < k; q++) {
                        double fq = follows ? z + p[q] * (1 - z) : (1 - p[q]) * z;
                        double gq = fq / f[pb + q];
                        f[cb + q] = fq;
                        g[cb + q] = gq;
                        r[cb + q] = r[base + q] * gq;
                    }
                }
            }
        }

        // Bottom-up: T of every internal node and the contribution of its split (reverse preorder puts children first).
        for (int node = n - 1; node >= 0; node--) {
            int feat = feature[node];
            if (feat < 0) continue;
            int base = node * k;
            int left = node + 1, rightChild = right[node];
            boolean leftLeaf = feature[left] < 0, rightLeaf = feature[rightChild] < 0;
            double leftValue = value[left], rightValue = value[rightChild];
            int lb = left * k, rb = rightChild * k;
            double contribution = 0;
            if (prevSame[left] < 0) {
                // First split on this feature on the path: D = o - z of each child, F_prev = 1, D_prev = 0.
                double dl = (o[left] ? 1 : 0) - zMerged[left];
                double dr = (o[rightChild] ? 1 : 0) - zMerged[rightChild];
                for (int q = 0; q < k; q++) {
                    double tl = leftLeaf ? leftValue : t[lb + q];
                    double tr = rightLeaf ? rightValue : t[rb + q];
                    t[base + q] = g[lb + q] * tl + g[rb + q] * tr;
                    contribution += wq[q] * r[base + q] * (dl * tl + dr * tr);
                }
            } else {
                int prev = prevSame[left];   // same ancestor edge for both children
                int pb = prev * k;
                double dp = (o[prev] ? 1 : 0) - zMerged[prev];
                double dl = (o[left] ? 1 : 0) - zMerged[left];
                double dr = (o[rightChild] ? 1 : 0) - zMerged[rightChild];
                for (int q = 0; q < k; q++) {
                    double tl = leftLeaf ? leftValue : t[lb + q];
                    double tr = rightLeaf ? rightValue : t[rb + q];
                    t[base + q] = g[lb + q] * tl + g[rb + q] * tr;
                    double fp = f[pb + q];
                    // Telescoped term: R(node) T(c) / F_prev * (D_c - D_prev * F_c / F_prev), per child.
                    double sl = tl * (dl - dp * f[lb + q] / fp);
                    double sr = tr * (dr - dp * f[rb + q] / fp);
                    contribution += wq[q] * r[base + q] / fp * (sl + sr);
                }
            }
            phi[feat] += scale * contribution;
        }
    }
}
