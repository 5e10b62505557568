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
        final double[] r;   // R_q(node): product of the path's merged factors at each point
        final double[] f;   // F_q(node): merged factor of the parent's feature on the edge into node
        final double[] g;   // g_q(node): factor the edge adds to R (F over the previous merged factor)
        final double[] t;   // T_q(node): sum over leaves below of value * R(leaf) / R(node)
        final double[] d;   // D(node) = o - z of the merged factor on the edge into node
        final int[] o;      // 1 when the row follows every split on the parent's feature down to the node (merged)

        Workspace(int maxNodes) {
            maxNodes++;     // one more slot: the sentinel of accumulate4
            r = new double[maxNodes * k];
            f = new double[maxNodes * k];
            g = new double[maxNodes * k];
            t = new double[maxNodes * k];
            d = new double[maxNodes];
            o = new int[maxNodes];
        }
    }

    Workspace workspace(int maxNodes) { return new Workspace(maxNodes); }

    /** Adds {@code scale} times this tree's SHAP values for the row at {@code x[offset..]} to {@code phi}. */
    void accumulate(IsolationTree tree, double[] x, int offset, double scale, Workspace w, double[] phi) {
        if (k == 4) accumulate4(tree, x, offset, scale, w, phi);
        else accumulateAnyK(tree, x, offset, scale, w, phi);
    }

    /**
     * The row-independent part of {@link #accumulate4} for one tree: for every node {@code c} (and the sentinel
     * slot {@code size()}, "no earlier split on this feature": factor 1), both possible merged indicators
     * {@code o} and the four quadrature points, {@code 1 / F = 1 / (z + p (o - z))} with {@code z} the merged cover
     * ratio. Looking these up replaces every division of the per-row passes; the expression is the one the passes
     * used, so the results are bit-identical.
     */
    double[] inverseTable(IsolationTree tree) {
        int n = tree.size();
        double[] table = new double[(n + 1) * 2 * k];
        for (int c = 0; c < n; c++) {
            double z = tree.zMerged[c];
            for (int o = 0; o < 2; o++) {
                double dc = o - z;
                for (int q = 0; q < k; q++) table[(c * 2 + o) * k + q] = 1.0 / (z + quad.points[q] * dc);
            }
        }
        java.util.Arrays.fill(table, n * 2 * k, table.length, 1.0);
        return table;
    }

    /**
     * {@link #accumulateAnyK} written out for four quadrature points (depth limits 7 and 8, i.e. the default
     * subsample of 256), without divisions (looked up in {@link #inverseTable}) and without branches on the node
     * (a node with no earlier split on its feature points at a sentinel slot holding factor 1, indicator 1 and
     * {@code o - z = 0}, which turns the general formula into the first-split one exactly).
     */
    private void accumulate4(IsolationTree tree, double[] x, int offset, double scale, Workspace w, double[] phi) {
        final int[] internal = tree.internal;
        final int[] feature = tree.feature;
        final double[] threshold = tree.threshold;
        final int[] right = tree.right;
        final int[] prevSame = tree.prevOrSentinel;
        final double[] zMerged = tree.zMerged;
        final double[] value = tree.value;
        double[] inverse = tree.shapInverse;
        if (inverse == null) {
            inverse = inverseTable(tree);
            tree.shapInverse = inverse;
        }
        final double[] inv = inverse;
        final double p0 = quad.points[0], p1 = quad.points[1], p2 = quad.points[2], p3 = quad.points[3];
        final double w0 = quad.weights[0], w1 = quad.weights[1], w2 = quad.weights[2], w3 = quad.weights[3];
        final double[] r = w.r, f = w.f, t = w.t, dd = w.d;
        final int[] o = w.o;
        final int sentinel = tree.size();
        o[sentinel] = 1;
        dd[sentinel] = 0;
        r[0] = 1.0;
        r[1] = 1.0;
        r[2] = 1.0;
        r[3] = 1.0;
        for (int node : internal) {
            // 1 when the row goes right (x > threshold): the sign bit of threshold - x, as in scoring. The
            // hot/cold choice is data-dependent, so everything below is written without branches on it.
            int goRight = (int) (Double.doubleToRawLongBits(threshold[node] - x[offset + feature[node]]) >>> 63);
            int base = node << 2;
            double r0 = r[base], r1 = r[base + 1], r2 = r[base + 2], r3 = r[base + 3];
            int prev = prevSame[node + 1];    // the same for both children: it depends on the path above node
            int prevFollows = o[prev];
            int ib = (prev * 2 + prevFollows) << 2;
            double i0 = inv[ib], i1 = inv[ib + 1], i2 = inv[ib + 2], i3 = inv[ib + 3];   // 1 / F of the earlier factor
            // Left child.
            int c = node + 1;
            int follows = (1 - goRight) & prevFollows;
            o[c] = follows;
            double z = zMerged[c];
            double dc = follows - z;               // F(p) = p o + (1 - p) z = z + p (o - z)
            dd[c] = dc;
            int cb = c << 2;
            double f0 = z + p0 * dc, f1 = z + p1 * dc, f2 = z + p2 * dc, f3 = z + p3 * dc;
            f[cb] = f0;
            f[cb + 1] = f1;
            f[cb + 2] = f2;
            f[cb + 3] = f3;
            // The edge's factor on R is F / F_prev.
            r[cb] = r0 * (f0 * i0);
            r[cb + 1] = r1 * (f1 * i1);
            r[cb + 2] = r2 * (f2 * i2);
            r[cb + 3] = r3 * (f3 * i3);
            // T of a leaf is its value; an internal child's T is overwritten by the bottom-up pass before
            // anyone reads it (value is 0 there), so no branch on the node kind.
            double v = value[c];
            t[cb] = v;
            t[cb + 1] = v;
            t[cb + 2] = v;
            t[cb + 3] = v;
            // Right child: the same with the other direction.
            c = right[node];
            follows = goRight & prevFollows;
            o[c] = follows;
            z = zMerged[c];
            dc = follows - z;
            dd[c] = dc;
            cb = c << 2;
            f0 = z + p0 * dc;
            f1 = z + p1 * dc;
            f2 = z + p2 * dc;
            f3 = z + p3 * dc;
            f[cb] = f0;
            f[cb + 1] = f1;
            f[cb + 2] = f2;
            f[cb + 3] = f3;
            r[cb] = r0 * (f0 * i0);
            r[cb + 1] = r1 * (f1 * i1);
            r[cb + 2] = r2 * (f2 * i2);
            r[cb + 3] = r3 * (f3 * i3);
            v = value[c];
            t[cb] = v;
            t[cb + 1] = v;
            t[cb + 2] = v;
            t[cb + 3] = v;
        }
        for (int i = internal.length - 1; i >= 0; i--) {
            int node = internal[i];
            int base = node << 2;
            int left = node + 1, rightChild = right[node];
            int lb = left << 2, rb = rightChild << 2;
            double dl = dd[left], dr = dd[rightChild];
            int prev = prevSame[left];
            double dp = dd[prev];
            int ib = (prev * 2 + o[prev]) << 2;
            double i0 = inv[ib], i1 = inv[ib + 1], i2 = inv[ib + 2], i3 = inv[ib + 3];
            double tl0 = t[lb], tl1 = t[lb + 1], tl2 = t[lb + 2], tl3 = t[lb + 3];
            double tr0 = t[rb], tr1 = t[rb + 1], tr2 = t[rb + 2], tr3 = t[rb + 3];
            double fl0 = f[lb], fl1 = f[lb + 1], fl2 = f[lb + 2], fl3 = f[lb + 3];
            double fr0 = f[rb], fr1 = f[rb + 1], fr2 = f[rb + 2], fr3 = f[rb + 3];
            t[base] = (fl0 * tl0 + fr0 * tr0) * i0;
            t[base + 1] = (fl1 * tl1 + fr1 * tr1) * i1;
            t[base + 2] = (fl2 * tl2 + fr2 * tr2) * i2;
            t[base + 3] = (fl3 * tl3 + fr3 * tr3) * i3;
            // Telescoped term per child: R(node) T(c) / F_prev * (D_c - D_prev * F_c / F_prev); with no earlier
            // split F_prev = 1 and D_prev = 0, the first-split term R(node) T(c) D_c.
            double contribution = w0 * r[base] * i0 * (tl0 * (dl - dp * fl0 * i0) + tr0 * (dr - dp * fr0 * i0))
                    + w1 * r[base + 1] * i1 * (tl1 * (dl - dp * fl1 * i1) + tr1 * (dr - dp * fr1 * i1))
                    + w2 * r[base + 2] * i2 * (tl2 * (dl - dp * fl2 * i2) + tr2 * (dr - dp * fr2 * i2))
                    + w3 * r[base + 3] * i3 * (tl3 * (dl - dp * fl3 * i3) + tr3 * (dr - dp * fr3 * i3));
            phi[feature[node]] += scale * contribution;
        }
    }

    /**
     * {@link #accumulate} for two rows of the same tree at once: {@link #accumulate4}'s operations in the same order
     * for each row, so each row's result is bit-identical to {@link #accumulate}, written out for both rows in one
     * loop so that their independent chains of loads and multiplications overlap (one row alone mostly waits on
     * the node just computed: its parent in the top-down pass, its child in the bottom-up one). The leaves' T is
     * not written here: call {@link #prepareLeaves} for both workspaces once per tree first.
     */
    void accumulatePair(IsolationTree tree, double[] x, int offsetA, int offsetB, double scale, Workspace a, Workspace b,
                        double[] phiA, double[] phiB) {
        if (k != 4) {
            accumulate(tree, x, offsetA, scale, a, phiA);
            accumulate(tree, x, offsetB, scale, b, phiB);
            return;
        }
        final int[] internal = tree.internal;
        final int[] feature = tree.feature;
        final double[] threshold = tree.threshold;
        final int[] right = tree.right;
        final int[] prevSame = tree.prevOrSentinel;
        final double[] zMerged = tree.zMerged;
        double[] inverse = tree.shapInverse;
        if (inverse == null) {
            inverse = inverseTable(tree);
            tree.shapInverse = inverse;
        }
        final double[] inv = inverse;
        final double p0 = quad.points[0], p1 = quad.points[1], p2 = quad.points[2], p3 = quad.points[3];
        final double w0 = quad.weights[0], w1 = quad.weights[1], w2 = quad.weights[2], w3 = quad.weights[3];
        final double[] rA = a.r, fA = a.f, tA = a.t, dA = a.d, rB = b.r, fB = b.f, tB = b.t, dB = b.d;
        final int[] oA = a.o, oB = b.o;
        final int sentinel = tree.size();
        oA[sentinel] = 1;
        dA[sentinel] = 0;
        oB[sentinel] = 1;
        dB[sentinel] = 0;
        for (int q = 0; q < 4; q++) {
            rA[q] = 1.0;
            rB[q] = 1.0;
        }
        for (int node : internal) {
            int base = node << 2;
            int prev = prevSame[node + 1];
            double th = threshold[node];
            int fe = feature[node];
            int goRightA = (int) (Double.doubleToRawLongBits(th - x[offsetA + fe]) >>> 63);
            double r0A = rA[base], r1A = rA[base + 1], r2A = rA[base + 2], r3A = rA[base + 3];
            int prevFollowsA = oA[prev];
            int ibA = (prev * 2 + prevFollowsA) << 2;
            double i0A = inv[ibA], i1A = inv[ibA + 1], i2A = inv[ibA + 2], i3A = inv[ibA + 3];
            int followsA;
            double dcA, f0A, f1A, f2A, f3A;
            int goRightB = (int) (Double.doubleToRawLongBits(th - x[offsetB + fe]) >>> 63);
            double r0B = rB[base], r1B = rB[base + 1], r2B = rB[base + 2], r3B = rB[base + 3];
            int prevFollowsB = oB[prev];
            int ibB = (prev * 2 + prevFollowsB) << 2;
            double i0B = inv[ibB], i1B = inv[ibB + 1], i2B = inv[ibB + 2], i3B = inv[ibB + 3];
            int followsB;
            double dcB, f0B, f1B, f2B, f3B;
            int c = node + 1;
            int cb = c << 2;
            double z = zMerged[c];
            followsA = (1 - goRightA) & prevFollowsA;
            oA[c] = followsA;
            dcA = followsA - z;
            dA[c] = dcA;
            f0A = z + p0 * dcA;
            f1A = z + p1 * dcA;
            f2A = z + p2 * dcA;
            f3A = z + p3 * dcA;
            fA[cb] = f0A;
            fA[cb + 1] = f1A;
            fA[cb + 2] = f2A;
            fA[cb + 3] = f3A;
            rA[cb] = r0A * (f0A * i0A);
            rA[cb + 1] = r1A * (f1A * i1A);
            rA[cb + 2] = r2A * (f2A * i2A);
            rA[cb + 3] = r3A * (f3A * i3A);
            followsB = (1 - goRightB) & prevFollowsB;
            oB[c] = followsB;
            dcB = followsB - z;
            dB[c] = dcB;
            f0B = z + p0 * dcB;
            f1B = z + p1 * dcB;
            f2B = z + p2 * dcB;
            f3B = z + p3 * dcB;
            fB[cb] = f0B;
            fB[cb + 1] = f1B;
            fB[cb + 2] = f2B;
            fB[cb + 3] = f3B;
            rB[cb] = r0B * (f0B * i0B);
            rB[cb + 1] = r1B * (f1B * i1B);
            rB[cb + 2] = r2B * (f2B * i2B);
            rB[cb + 3] = r3B * (f3B * i3B);
            c = right[node];
            cb = c << 2;
            z = zMerged[c];
            followsA = goRightA & prevFollowsA;
            oA[c] = followsA;
            dcA = followsA - z;
            dA[c] = dcA;
            f0A = z + p0 * dcA;
            f1A = z + p1 * dcA;
            f2A = z + p2 * dcA;
            f3A = z + p3 * dcA;
            fA[cb] = f0A;
            fA[cb + 1] = f1A;
            fA[cb + 2] = f2A;
            fA[cb + 3] = f3A;
            rA[cb] = r0A * (f0A * i0A);
            rA[cb + 1] = r1A * (f1A * i1A);
            rA[cb + 2] = r2A * (f2A * i2A);
            rA[cb + 3] = r3A * (f3A * i3A);
            followsB = goRightB & prevFollowsB;
            oB[c] = followsB;
            dcB = followsB - z;
            dB[c] = dcB;
            f0B = z + p0 * dcB;
            f1B = z + p1 * dcB;
            f2B = z + p2 * dcB;
            f3B = z + p3 * dcB;
            fB[cb] = f0B;
            fB[cb + 1] = f1B;
            fB[cb + 2] = f2B;
            fB[cb + 3] = f3B;
            rB[cb] = r0B * (f0B * i0B);
            rB[cb + 1] = r1B * (f1B * i1B);
            rB[cb + 2] = r2B * (f2B * i2B);
            rB[cb + 3] = r3B * (f3B * i3B);
        }
        for (int i = internal.length - 1; i >= 0; i--) {
            int node = internal[i];
            int base = node << 2;
            int left = node + 1, rightChild = right[node];
            int lb = left << 2, rb = rightChild << 2;
            int prev = prevSame[left];
            double dlA = dA[left], drA = dA[rightChild], dpA = dA[prev];
            int ibA = (prev * 2 + oA[prev]) << 2;
            double i0A = inv[ibA], i1A = inv[ibA + 1], i2A = inv[ibA + 2], i3A = inv[ibA + 3];
            double tl0A = tA[lb], tl1A = tA[lb + 1], tl2A = tA[lb + 2], tl3A = tA[lb + 3];
            double tr0A = tA[rb], tr1A = tA[rb + 1], tr2A = tA[rb + 2], tr3A = tA[rb + 3];
            double fl0A = fA[lb], fl1A = fA[lb + 1], fl2A = fA[lb + 2], fl3A = fA[lb + 3];
            double fr0A = fA[rb], fr1A = fA[rb + 1], fr2A = fA[rb + 2], fr3A = fA[rb + 3];
            tA[base] = (fl0A * tl0A + fr0A * tr0A) * i0A;
            tA[base + 1] = (fl1A * tl1A + fr1A * tr1A) * i1A;
            tA[base + 2] = (fl2A * tl2A + fr2A * tr2A) * i2A;
            tA[base + 3] = (fl3A * tl3A + fr3A * tr3A) * i3A;
            double contributionA = w0 * rA[base] * i0A * (tl0A * (dlA - dpA * fl0A * i0A) + tr0A * (drA - dpA * fr0A * i0A))
                    + w1 * rA[base + 1] * i1A * (tl1A * (dlA - dpA * fl1A * i1A) + tr1A * (drA - dpA * fr1A * i1A))
                    + w2 * rA[base + 2] * i2A * (tl2A * (dlA - dpA * fl2A * i2A) + tr2A * (drA - dpA * fr2A * i2A))
                    + w3 * rA[base + 3] * i3A * (tl3A * (dlA - dpA * fl3A * i3A) + tr3A * (drA - dpA * fr3A * i3A));
            double dlB = dB[left], drB = dB[rightChild], dpB = dB[prev];
            int ibB = (prev * 2 + oB[prev]) << 2;
            double i0B = inv[ibB], i1B = inv[ibB + 1], i2B = inv[ibB + 2], i3B = inv[ibB + 3];
            double tl0B = tB[lb], tl1B = tB[lb + 1], tl2B = tB[lb + 2], tl3B = tB[lb + 3];
            double tr0B = tB[rb], tr1B = tB[rb + 1], tr2B = tB[rb + 2], tr3B = tB[rb + 3];
            double fl0B = fB[lb], fl1B = fB[lb + 1], fl2B = fB[lb + 2], fl3B = fB[lb + 3];
            double fr0B = fB[rb], fr1B = fB[rb + 1], fr2B = fB[rb + 2], fr3B = fB[rb + 3];
            tB[base] = (fl0B * tl0B + fr0B * tr0B) * i0B;
            tB[base + 1] = (fl1B * tl1B + fr1B * tr1B) * i1B;
            tB[base + 2] = (fl2B * tl2B + fr2B * tr2B) * i2B;
            tB[base + 3] = (fl3B * tl3B + fr3B * tr3B) * i3B;
            double contributionB = w0 * rB[base] * i0B * (tl0B * (dlB - dpB * fl0B * i0B) + tr0B * (drB - dpB * fr0B * i0B))
                    + w1 * rB[base + 1] * i1B * (tl1B * (dlB - dpB * fl1B * i1B) + tr1B * (drB - dpB * fr1B * i1B))
                    + w2 * rB[base + 2] * i2B * (tl2B * (dlB - dpB * fl2B * i2B) + tr2B * (drB - dpB * fr2B * i2B))
                    + w3 * rB[base + 3] * i3B * (tl3B * (dlB - dpB * fl3B * i3B) + tr3B * (drB - dpB * fr3B * i3B));
            int fe = feature[node];
            phiA[fe] += scale * contributionA;
            phiB[fe] += scale * contributionB;
        }
    }

    /**
     * Writes the T of every leaf of {@code tree} into {@code w}: its value, the same for every row. {@link
     * #accumulatePair} reads it there instead of writing it per row (its bottom-up pass only overwrites internal
     * nodes), so the caller does this once per tree and workspace before the pairs of that tree.
     */
    void prepareLeaves(IsolationTree tree, Workspace w) {
        if (k != 4) return;
        for (int c = 0; c < tree.size(); c++) {
            if (tree.feature[c] >= 0) continue;
            double v = tree.value[c];
            int cb = c << 2;
            w.t[cb] = v;
            w.t[cb + 1] = v;
            w.t[cb + 2] = v;
            w.t[cb + 3] = v;
        }
    }

    private void accumulateAnyK(IsolationTree tree, double[] x, int offset, double scale, Workspace w, double[] phi) {
        final int[] internal = tree.internal;
        final int[] feature = tree.feature;
        final double[] threshold = tree.threshold;
        final int[] right = tree.right;
        final int[] prevSame = tree.prevSame;
        final double[] zMerged = tree.zMerged;
        final double[] value = tree.value;
        final double[] p = quad.points, wq = quad.weights;
        final double[] r = w.r, f = w.f, g = w.g, t = w.t, dd = w.d;
        final int[] o = w.o;
        final int k = this.k;
        for (int q = 0; q < k; q++) r[q] = 1.0;

        // Top-down over internal nodes in preorder (parents first): the factors of both child edges and R below.
        for (int node : internal) {
            boolean goLeft = x[offset + feature[node]] <= threshold[node];
            int base = node * k;
            int prev = prevSame[node + 1];   // the same for both children: it depends on the path above node
            for (int side = 0; side < 2; side++) {
                int c = side == 0 ? node + 1 : right[node];
                boolean follows = (side == 0) == goLeft;
                if (prev >= 0) follows &= o[prev] == 1;
                o[c] = follows ? 1 : 0;
                double z = zMerged[c];
                double dc = (follows ? 1.0 : 0.0) - z;   // F(p) = p o + (1 - p) z = z + p (o - z)
                dd[c] = dc;
                int cb = c * k;
                if (prev < 0) {
                    for (int q = 0; q < k; q++) {
                        double fq = z + p[q] * dc;
                        f[cb + q] = fq;
                        g[cb + q] = fq;
                        r[cb + q] = r[base + q] * fq;
                    }
                } else {
                    int pb = prev * k;
                    for (int q = 0; q < k; q++) {
                        double fq = z + p[q] * dc;
                        double gq = fq / f[pb + q];
                        f[cb + q] = fq;
                        g[cb + q] = gq;
                        r[cb + q] = r[base + q] * gq;
                    }
                }
                if (feature[c] < 0) {
                    double v = value[c];
                    for (int q = 0; q < k; q++) t[cb + q] = v;
                }
            }
        }

        // Bottom-up in reverse preorder (children first): T of every internal node and its split's contribution.
        for (int i = internal.length - 1; i >= 0; i--) {
            int node = internal[i];
            int base = node * k;
            int left = node + 1, rightChild = right[node];
            int lb = left * k, rb = rightChild * k;
            double dl = dd[left], dr = dd[rightChild];
            double contribution = 0;
            int prev = prevSame[left];
            if (prev < 0) {
                // First split on this feature on the path: F_prev = 1, D_prev = 0.
                for (int q = 0; q < k; q++) {
                    double tl = t[lb + q], tr = t[rb + q];
                    t[base + q] = g[lb + q] * tl + g[rb + q] * tr;
                    contribution += wq[q] * r[base + q] * (dl * tl + dr * tr);
                }
            } else {
                int pb = prev * k;
                double dp = dd[prev];
                for (int q = 0; q < k; q++) {
                    double tl = t[lb + q], tr = t[rb + q];
                    t[base + q] = g[lb + q] * tl + g[rb + q] * tr;
                    double inv = 1.0 / f[pb + q];
                    // Telescoped term: R(node) T(c) / F_prev * (D_c - D_prev * F_c / F_prev), per child.
                    double sl = tl * (dl - dp * f[lb + q] * inv);
                    double sr = tr * (dr - dp * f[rb + q] * inv);
                    contribution += wq[q] * r[base + q] * inv * (sl + sr);
                }
            }
            phi[feature[node]] += scale * contribution;
        }
    }
}
