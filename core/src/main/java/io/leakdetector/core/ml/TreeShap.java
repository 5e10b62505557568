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
        final double[] r;   // R_q(node): product of the path's merged factors at each point (k = 4: then U_q on the way up)
        final double[] f;   // F_q(node): merged factor of the parent's feature on the edge into node
        final double[] g;   // g_q(node): factor the edge adds to R (F over the previous merged factor)
        final double[] t;   // T_q(node): sum over leaves below of value * R(leaf) / R(node)
        final double[] d;   // D(node) = o - z of the merged factor on the edge into node
        final int[] o;      // 1 when the row follows every split on the parent's feature down to the node (merged)
        final int[] line;   // k = 4: offset of the node's line in the tree's two tables (TreeShap.prepare), a multiple
                            // of 4, plus the node's indicator o in bit 0; set top-down

        Workspace(int maxNodes) {
            maxNodes++;     // one more slot: the sentinel of accumulate4
            r = new double[maxNodes * k];
            f = new double[maxNodes * k];
            g = new double[maxNodes * k];
            t = new double[maxNodes * k];
            d = new double[maxNodes];
            o = new int[maxNodes];
            line = new int[maxNodes];
        }
    }

    Workspace workspace(int maxNodes) { return new Workspace(maxNodes); }

    /** Adds {@code scale} times this tree's SHAP values for the row at {@code x[offset..]} to {@code phi}. */
    void accumulate(IsolationTree tree, double[] x, int offset, double scale, Workspace w, double[] phi) {
        if (k == 4) accumulate4(tree, x, offset, scale, w, phi);
        else accumulateAnyK(tree, x, offset, scale, w, phi);
    }

    /**
     * Builds the row-independent tables of {@link #accumulate4} for one tree (called once per tree by the forest). For
     * every child {@code c}, its merged indicator {@code o} (does the row follow every split on the parent's feature
     * down to {@code c}), the indicator {@code oPrev} of {@code prev} (the earlier child on the path whose parent
     * splits on the same feature; a sentinel with factor 1, indicator 1 and ratio 0 when there is none) and each
     * quadrature point {@code p}, with {@code z} the merged cover ratio and {@code F = z + p (o - z)} the merged
     * factor, a line of four doubles at {@code (c * 3 + o + oPrev) * 4} in each of two tables ({@code o = 1} needs
     * {@code oPrev = 1}, so three lines per child; two tables rather than one of eight-double lines: each pass reads
     * only its own, which with the scratch then fits the core's 32 KB L1 cache; together 10-16 % less time per
     * row, BENCHMARKS.md):
     * <ul>
     *   <li>{@code shapDown[q]}: the edge's factor on {@code R}, {@code F / FPrev}, times {@code w_p * value(c)} at a
     *       leaf (quadrature weight and leaf value folded in, so the top-down pass leaves the weighted leaf mass
     *       {@code U} at every leaf);</li>
     *   <li>{@code shapUp[q]}: {@code (o - z) / F - (oPrev - zPrev) / FPrev}, the factor of the child's leaf mass in
     *       its parent's contribution.</li>
     * </ul>
     */
    void prepare(IsolationTree tree) {
        if (k != 4) return;
        int n = tree.size();
        double[] factor = new double[(n + 1) * 2 * k];  // F; 1 at the sentinel
        double[] ratio = new double[(n + 1) * 2 * k];   // (o - z) / F; 0 at the sentinel
        for (int c = 0; c < n; c++) {
            double z = tree.zMerged[c];
            for (int o = 0; o < 2; o++) {
                double dc = o - z;
                for (int q = 0; q < k; q++) {
                    double fq = z + quad.points[q] * dc;
                    factor[(c * 2 + o) * k + q] = fq;
                    ratio[(c * 2 + o) * k + q] = dc / fq;
                }
            }
        }
        java.util.Arrays.fill(factor, n * 2 * k, factor.length, 1.0);
        double[] down = new double[n * 3 * 4];
        double[] up = new double[n * 3 * 4];
        for (int c = 1; c < n; c++) {
            int prev = tree.prevOrSentinel[c];
            boolean leaf = tree.feature[c] < 0;
            for (int o = 0; o < 2; o++) {
                for (int op = o; op < 2; op++) {   // o = 1 needs oPrev = 1
                    int line = (c * 3 + o + op) * 4;
                    for (int q = 0; q < k; q++) {
                        double edge = factor[(c * 2 + o) * k + q] / factor[(prev * 2 + op) * k + q];
                        down[line + q] = leaf ? edge * (quad.weights[q] * tree.value[c]) : edge;
                        up[line + q] = ratio[(c * 2 + o) * k + q] - ratio[(prev * 2 + op) * k + q];
                    }
                }
            }
        }
        tree.shapDown = down;
        tree.shapUp = up;
        int[] bottom = tree.bottom;
        double[] fused = new double[bottom.length * 3 * 8];
        for (int j = 0; j < bottom.length; j++) {
            int left = bottom[j] + 1, right = tree.right[bottom[j]];
            for (int cs = 0; cs < 3; cs++) {
                // case 0: the parent's feature not followed above (both children o = 0); 1: row goes left; 2: right
                int ll = (left * 3 + (cs == 0 ? 0 : cs == 1 ? 2 : 1)) * 4;
                int lr = (right * 3 + (cs == 0 ? 0 : cs == 1 ? 1 : 2)) * 4;
                int at = (j * 3 + cs) * 8;
                for (int q = 0; q < k; q++) {
                    fused[at + q] = down[ll + q] + down[lr + q];
                    fused[at + 4 + q] = down[ll + q] * up[ll + q] + down[lr + q] * up[lr + q];
                }
            }
        }
        tree.shapBottom = fused;
        int[] pair = tree.pair;
        double[] pieces = new double[pair.length * 2 * 9 * 12];
        for (int j = 0; j < pair.length; j++) {
            for (int side = 0; side < 2; side++) {
                int c = side == 0 ? pair[j] + 1 : tree.right[pair[j]];
                boolean leaf = tree.feature[c] < 0;
                for (int ls = 0; ls < 3; ls++) {
                    int line = (c * 3 + ls) * 4;   // the child's line for indicator o + oPrev = ls
                    for (int cc = 0; cc < 3; cc++) {
                        int at = ((j * 2 + side) * 9 + ls * 3 + cc) * 12;
                        for (int q = 0; q < k; q++) {
                            double u = down[line + q], contribution = 0;
                            if (!leaf) {
                                // the bottom child's own step for its indicator case cc, as in shapBottom
                                int ll = ((c + 1) * 3 + (cc == 0 ? 0 : cc == 1 ? 2 : 1)) * 4;
                                int lr = (tree.right[c] * 3 + (cc == 0 ? 0 : cc == 1 ? 1 : 2)) * 4;
                                contribution = u * (down[ll + q] * up[ll + q] + down[lr + q] * up[lr + q]);
                                u *= down[ll + q] + down[lr + q];
                            }
                            pieces[at + q] = u;
                            pieces[at + 4 + q] = u * up[line + q];
                            pieces[at + 8 + q] = contribution;
                        }
                    }
                }
            }
        }
        tree.shapPair = pieces;
    }

    /**
     * {@link #accumulateAnyK} for four quadrature points (depth limits 7 and 8, i.e. the default subsample of 256),
     * rewritten on the leaf mass. With {@code R} the product of the path's merged factors and {@code T} the
     * quadrature-point sums of {@link #accumulateAnyK}, let {@code U(c) = w_p R(c) T(c)}: the weighted sum of
     * {@code value * R(leaf)} over the leaves below {@code c}. Since {@code R(child) = R(node) F(child) / F(prev)},
     * the telescoped term {@code R(node) T(c) / F(prev) (D(c) - D(prev) F(c) / F(prev))} of a child {@code c} is
     * {@code U(c) (D(c) / F(c) - D(prev) / F(prev))}, so a node's contribution is
     * {@code sum_p U(left) ratio(left) + U(right) ratio(right)} and {@code U(node) = U(left) + U(right)}.
     * Everything that depends only on the tree, the two indicators and the point is one line of each table of
     * {@link #prepare}, whose offset the top-down pass keeps per child for the bottom-up one: per node, four
     * multiplications per child down, four additions and eight multiply-adds up, no division and no branch on the
     * node. One array holds {@code R} on the way down and is overwritten with {@code U} on the way up.
     *
     * <p>Only the {@code upper} nodes of {@link IsolationTree} take both passes. Between them, a bottom node (both
     * children leaves) is one step from {@code R}: per indicator case, {@code U = R * P} and contribution
     * {@code R . Q} ({@code shapBottom}); a pair node (children leaves or bottom nodes) is one step for itself and its
     * children from one {@code shapPair} line per child (BENCHMARKS.md, sixth pass: 0.79 and 0.94 of the time).
     */
    private void accumulate4(IsolationTree tree, double[] x, int offset, double scale, Workspace w, double[] phi) {
        final int[] upper = tree.upper;
        final int[] feature = tree.feature;
        final double[] threshold = tree.threshold;
        final int[] right = tree.right;
        final int[] prevSame = tree.prevOrSentinel;
        final double[] down = tree.shapDown, up = tree.shapUp;
        final double[] a = w.r;
        final int[] line = w.line;
        line[tree.size()] = 1;   // the sentinel: indicator 1 (bit 0 of a kept line offset is the child's indicator)
        a[0] = 1.0;
        a[1] = 1.0;
        a[2] = 1.0;
        a[3] = 1.0;
        for (int node : upper) {
            // 1 when the row goes right (x > threshold): the sign bit of threshold - x, as in scoring. The
            // hot/cold choice is data-dependent, so everything below is written without branches on it.
            int goRight = (int) (Double.doubleToRawLongBits(threshold[node] - x[offset + feature[node]]) >>> 63);
            int base = node << 2;
            // the same for both children: it depends on the path above; bit 0 of prev's line offset is its indicator
            int prevFollows = line[prevSame[node + 1]] & 1;
            double a0 = a[base], a1 = a[base + 1], a2 = a[base + 2], a3 = a[base + 3];
            int c = node + 1;
            int follows = (1 - goRight) & prevFollows;
            int t = (c * 3 + follows + prevFollows) << 2;
            line[c] = t | follows;
            int cb = c << 2;
            a[cb] = a0 * down[t];
            a[cb + 1] = a1 * down[t + 1];
            a[cb + 2] = a2 * down[t + 2];
            a[cb + 3] = a3 * down[t + 3];
            c = right[node];
            follows = goRight & prevFollows;
            t = (c * 3 + follows + prevFollows) << 2;
            line[c] = t | follows;
            cb = c << 2;
            a[cb] = a0 * down[t];
            a[cb + 1] = a1 * down[t + 1];
            a[cb + 2] = a2 * down[t + 2];
            a[cb + 3] = a3 * down[t + 3];
        }
        final int[] bottom = tree.bottom;
        final double[] fused = tree.shapBottom;
        for (int j = 0; j < bottom.length; j++) {
            int node = bottom[j];
            int goRight = (int) (Double.doubleToRawLongBits(threshold[node] - x[offset + feature[node]]) >>> 63);
            int prevFollows = line[prevSame[node + 1]] & 1;
            int t = (j * 3 + prevFollows + (prevFollows & goRight)) << 3;
            int base = node << 2;
            double a0 = a[base], a1 = a[base + 1], a2 = a[base + 2], a3 = a[base + 3];
            a[base] = a0 * fused[t];
            a[base + 1] = a1 * fused[t + 1];
            a[base + 2] = a2 * fused[t + 2];
            a[base + 3] = a3 * fused[t + 3];
            double contribution = (a0 * fused[t + 4] + a1 * fused[t + 5]) + (a2 * fused[t + 6] + a3 * fused[t + 7]);
            phi[feature[node]] += scale * contribution;
        }
        final int[] pair = tree.pair, pieceFeature = tree.pieceFeature, piecePrev = tree.piecePrev;
        final double[] pieceThreshold = tree.pieceThreshold, pieces = tree.shapPair;
        for (int j = 0; j < pair.length; j++) {
            int node = pair[j];
            int goRight = (int) (Double.doubleToRawLongBits(threshold[node] - x[offset + feature[node]]) >>> 63);
            int prevFollows = line[prevSame[node + 1]] & 1;
            int followsL = (1 - goRight) & prevFollows, followsR = goRight & prevFollows;
            line[node + 1] = followsL;      // a piece may read its own child's indicator as that of the earlier split
            line[right[node]] = followsR;
            int pl = 2 * j, pr = pl + 1;
            int gl = (int) (Double.doubleToRawLongBits(pieceThreshold[pl] - x[offset + pieceFeature[pl]]) >>> 63);
            int gr = (int) (Double.doubleToRawLongBits(pieceThreshold[pr] - x[offset + pieceFeature[pr]]) >>> 63);
            int ol = line[piecePrev[pl]] & 1, or = line[piecePrev[pr]] & 1;
            int tl = (pl * 9 + (followsL + prevFollows) * 3 + ol + (ol & gl)) * 12;
            int tr = (pr * 9 + (followsR + prevFollows) * 3 + or + (or & gr)) * 12;
            int base = node << 2;
            double a0 = a[base], a1 = a[base + 1], a2 = a[base + 2], a3 = a[base + 3];
            a[base] = a0 * (pieces[tl] + pieces[tr]);
            a[base + 1] = a1 * (pieces[tl + 1] + pieces[tr + 1]);
            a[base + 2] = a2 * (pieces[tl + 2] + pieces[tr + 2]);
            a[base + 3] = a3 * (pieces[tl + 3] + pieces[tr + 3]);
            double contribution = (a0 * (pieces[tl + 4] + pieces[tr + 4]) + a1 * (pieces[tl + 5] + pieces[tr + 5]))
                    + (a2 * (pieces[tl + 6] + pieces[tr + 6]) + a3 * (pieces[tl + 7] + pieces[tr + 7]));
            double contributionL = (a0 * pieces[tl + 8] + a1 * pieces[tl + 9]) + (a2 * pieces[tl + 10] + a3 * pieces[tl + 11]);
            double contributionR = (a0 * pieces[tr + 8] + a1 * pieces[tr + 9]) + (a2 * pieces[tr + 10] + a3 * pieces[tr + 11]);
            phi[feature[node]] += scale * contribution;
            phi[pieceFeature[pl]] += scale * contributionL;
            phi[pieceFeature[pr]] += scale * contributionR;
        }
        for (int i = upper.length - 1; i >= 0; i--) {
            int node = upper[i];
            int base = node << 2;
            int left = node + 1, rightChild = right[node];
            int lb = left << 2, rb = rightChild << 2;
            int hl = line[left] & -4, hr = line[rightChild] & -4;
            double l0 = a[lb], l1 = a[lb + 1], l2 = a[lb + 2], l3 = a[lb + 3];
            double r0 = a[rb], r1 = a[rb + 1], r2 = a[rb + 2], r3 = a[rb + 3];
            a[base] = l0 + r0;
            a[base + 1] = l1 + r1;
            a[base + 2] = l2 + r2;
            a[base + 3] = l3 + r3;
            double contribution = (l0 * up[hl] + r0 * up[hr]) + (l1 * up[hl + 1] + r1 * up[hr + 1])
                    + ((l2 * up[hl + 2] + r2 * up[hr + 2]) + (l3 * up[hl + 3] + r3 * up[hr + 3]));
            phi[feature[node]] += scale * contribution;
        }
    }

    /**
     * {@link #accumulate} for two rows of the same tree at once: {@link #accumulate4}'s operations in the same order
     * for each row, so each row's result is bit-identical to {@link #accumulate}, written out for both rows in one
     * loop so that their independent chains of loads and multiplications overlap (one row alone mostly waits on
     * the node just computed: its parent in the top-down pass, its children in the bottom-up one).
     */
    void accumulatePair(IsolationTree tree, double[] x, int offsetA, int offsetB, double scale, Workspace wa, Workspace wb,
                        double[] phiA, double[] phiB) {
        if (k != 4) {
            accumulate(tree, x, offsetA, scale, wa, phiA);
            accumulate(tree, x, offsetB, scale, wb, phiB);
            return;
        }
        final int[] upper = tree.upper;
        final int[] feature = tree.feature;
        final double[] threshold = tree.threshold;
        final int[] right = tree.right;
        final int[] prevSame = tree.prevOrSentinel;
        final double[] down = tree.shapDown, up = tree.shapUp;
        final double[] a = wa.r, b = wb.r;
        final int[] la = wa.line, lb_ = wb.line;
        la[tree.size()] = 1;
        lb_[tree.size()] = 1;
        for (int q = 0; q < 4; q++) {
            a[q] = 1.0;
            b[q] = 1.0;
        }
        for (int node : upper) {
            double th = threshold[node];
            int fe = feature[node];
            int goRightA = (int) (Double.doubleToRawLongBits(th - x[offsetA + fe]) >>> 63);
            int goRightB = (int) (Double.doubleToRawLongBits(th - x[offsetB + fe]) >>> 63);
            int base = node << 2;
            int prev = prevSame[node + 1];
            int left = node + 1, rightChild = right[node];
            int lb = left << 2, rb = rightChild << 2;
            // Row A.
            int prevFollows = la[prev] & 1;
            double a0 = a[base], a1 = a[base + 1], a2 = a[base + 2], a3 = a[base + 3];
            int follows = (1 - goRightA) & prevFollows;
            int t = (left * 3 + follows + prevFollows) << 2;
            la[left] = t | follows;
            a[lb] = a0 * down[t];
            a[lb + 1] = a1 * down[t + 1];
            a[lb + 2] = a2 * down[t + 2];
            a[lb + 3] = a3 * down[t + 3];
            follows = goRightA & prevFollows;
            t = (rightChild * 3 + follows + prevFollows) << 2;
            la[rightChild] = t | follows;
            a[rb] = a0 * down[t];
            a[rb + 1] = a1 * down[t + 1];
            a[rb + 2] = a2 * down[t + 2];
            a[rb + 3] = a3 * down[t + 3];
            // Row B.
            prevFollows = lb_[prev] & 1;
            a0 = b[base];
            a1 = b[base + 1];
            a2 = b[base + 2];
            a3 = b[base + 3];
            follows = (1 - goRightB) & prevFollows;
            t = (left * 3 + follows + prevFollows) << 2;
            lb_[left] = t | follows;
            b[lb] = a0 * down[t];
            b[lb + 1] = a1 * down[t + 1];
            b[lb + 2] = a2 * down[t + 2];
            b[lb + 3] = a3 * down[t + 3];
            follows = goRightB & prevFollows;
            t = (rightChild * 3 + follows + prevFollows) << 2;
            lb_[rightChild] = t | follows;
            b[rb] = a0 * down[t];
            b[rb + 1] = a1 * down[t + 1];
            b[rb + 2] = a2 * down[t + 2];
            b[rb + 3] = a3 * down[t + 3];
        }
        // Bottom and pair nodes, written out for both rows like the rest of this method (the pair step as a method
        // called once per row measured 1.07 times the time: BENCHMARKS.md, sixth pass).
        final int[] bottom = tree.bottom;
        final double[] fused = tree.shapBottom;
        for (int j = 0; j < bottom.length; j++) {
            int node = bottom[j];
            double th = threshold[node];
            int fe = feature[node];
            int goRightA = (int) (Double.doubleToRawLongBits(th - x[offsetA + fe]) >>> 63);
            int goRightB = (int) (Double.doubleToRawLongBits(th - x[offsetB + fe]) >>> 63);
            int prev = prevSame[node + 1];
            int base = node << 2;
            int jb = j * 3;
            // Row A.
            int prevFollows = la[prev] & 1;
            int t = (jb + prevFollows + (prevFollows & goRightA)) << 3;
            double a0 = a[base], a1 = a[base + 1], a2 = a[base + 2], a3 = a[base + 3];
            a[base] = a0 * fused[t];
            a[base + 1] = a1 * fused[t + 1];
            a[base + 2] = a2 * fused[t + 2];
            a[base + 3] = a3 * fused[t + 3];
            double contributionA = (a0 * fused[t + 4] + a1 * fused[t + 5]) + (a2 * fused[t + 6] + a3 * fused[t + 7]);
            // Row B.
            prevFollows = lb_[prev] & 1;
            t = (jb + prevFollows + (prevFollows & goRightB)) << 3;
            a0 = b[base];
            a1 = b[base + 1];
            a2 = b[base + 2];
            a3 = b[base + 3];
            b[base] = a0 * fused[t];
            b[base + 1] = a1 * fused[t + 1];
            b[base + 2] = a2 * fused[t + 2];
            b[base + 3] = a3 * fused[t + 3];
            double contributionB = (a0 * fused[t + 4] + a1 * fused[t + 5]) + (a2 * fused[t + 6] + a3 * fused[t + 7]);
            phiA[fe] += scale * contributionA;
            phiB[fe] += scale * contributionB;
        }
        final int[] pair = tree.pair, pieceFeature = tree.pieceFeature, piecePrev = tree.piecePrev;
        final double[] pieceThreshold = tree.pieceThreshold, pieces = tree.shapPair;
        for (int j = 0; j < pair.length; j++) {
            int node = pair[j];
            double th = threshold[node];
            int fe = feature[node];
            int prev = prevSame[node + 1];
            int left = node + 1, rightChild = right[node];
            int pl = 2 * j, pr = pl + 1;
            double thl = pieceThreshold[pl], thr = pieceThreshold[pr];
            int fl = pieceFeature[pl], fr = pieceFeature[pr], ql = piecePrev[pl], qr = piecePrev[pr];
            int base = node << 2;
            // Row A.
            int goRight = (int) (Double.doubleToRawLongBits(th - x[offsetA + fe]) >>> 63);
            int prevFollows = la[prev] & 1;
            int followsL = (1 - goRight) & prevFollows, followsR = goRight & prevFollows;
            la[left] = followsL;
            la[rightChild] = followsR;
            int gl = (int) (Double.doubleToRawLongBits(thl - x[offsetA + fl]) >>> 63);
            int gr = (int) (Double.doubleToRawLongBits(thr - x[offsetA + fr]) >>> 63);
            int ol = la[ql] & 1, or = la[qr] & 1;
            int tl = (pl * 9 + (followsL + prevFollows) * 3 + ol + (ol & gl)) * 12;
            int tr = (pr * 9 + (followsR + prevFollows) * 3 + or + (or & gr)) * 12;
            double a0 = a[base], a1 = a[base + 1], a2 = a[base + 2], a3 = a[base + 3];
            a[base] = a0 * (pieces[tl] + pieces[tr]);
            a[base + 1] = a1 * (pieces[tl + 1] + pieces[tr + 1]);
            a[base + 2] = a2 * (pieces[tl + 2] + pieces[tr + 2]);
            a[base + 3] = a3 * (pieces[tl + 3] + pieces[tr + 3]);
            double contributionA = (a0 * (pieces[tl + 4] + pieces[tr + 4]) + a1 * (pieces[tl + 5] + pieces[tr + 5]))
                    + (a2 * (pieces[tl + 6] + pieces[tr + 6]) + a3 * (pieces[tl + 7] + pieces[tr + 7]));
            double contributionAL = (a0 * pieces[tl + 8] + a1 * pieces[tl + 9]) + (a2 * pieces[tl + 10] + a3 * pieces[tl + 11]);
            double contributionAR = (a0 * pieces[tr + 8] + a1 * pieces[tr + 9]) + (a2 * pieces[tr + 10] + a3 * pieces[tr + 11]);
            // Row B.
            goRight = (int) (Double.doubleToRawLongBits(th - x[offsetB + fe]) >>> 63);
            prevFollows = lb_[prev] & 1;
            followsL = (1 - goRight) & prevFollows;
            followsR = goRight & prevFollows;
            lb_[left] = followsL;
            lb_[rightChild] = followsR;
            gl = (int) (Double.doubleToRawLongBits(thl - x[offsetB + fl]) >>> 63);
            gr = (int) (Double.doubleToRawLongBits(thr - x[offsetB + fr]) >>> 63);
            ol = lb_[ql] & 1;
            or = lb_[qr] & 1;
            tl = (pl * 9 + (followsL + prevFollows) * 3 + ol + (ol & gl)) * 12;
            tr = (pr * 9 + (followsR + prevFollows) * 3 + or + (or & gr)) * 12;
            a0 = b[base];
            a1 = b[base + 1];
            a2 = b[base + 2];
            a3 = b[base + 3];
            b[base] = a0 * (pieces[tl] + pieces[tr]);
            b[base + 1] = a1 * (pieces[tl + 1] + pieces[tr + 1]);
            b[base + 2] = a2 * (pieces[tl + 2] + pieces[tr + 2]);
            b[base + 3] = a3 * (pieces[tl + 3] + pieces[tr + 3]);
            double contributionB = (a0 * (pieces[tl + 4] + pieces[tr + 4]) + a1 * (pieces[tl + 5] + pieces[tr + 5]))
                    + (a2 * (pieces[tl + 6] + pieces[tr + 6]) + a3 * (pieces[tl + 7] + pieces[tr + 7]));
            double contributionBL = (a0 * pieces[tl + 8] + a1 * pieces[tl + 9]) + (a2 * pieces[tl + 10] + a3 * pieces[tl + 11]);
            double contributionBR = (a0 * pieces[tr + 8] + a1 * pieces[tr + 9]) + (a2 * pieces[tr + 10] + a3 * pieces[tr + 11]);
            phiA[fe] += scale * contributionA;
            phiA[fl] += scale * contributionAL;
            phiA[fr] += scale * contributionAR;
            phiB[fe] += scale * contributionB;
            phiB[fl] += scale * contributionBL;
            phiB[fr] += scale * contributionBR;
        }
        for (int i = upper.length - 1; i >= 0; i--) {
            int node = upper[i];
            int base = node << 2;
            int left = node + 1, rightChild = right[node];
            int lb = left << 2, rb = rightChild << 2;
            // Row A.
            int hl = la[left] & -4, hr = la[rightChild] & -4;
            double l0 = a[lb], l1 = a[lb + 1], l2 = a[lb + 2], l3 = a[lb + 3];
            double r0 = a[rb], r1 = a[rb + 1], r2 = a[rb + 2], r3 = a[rb + 3];
            a[base] = l0 + r0;
            a[base + 1] = l1 + r1;
            a[base + 2] = l2 + r2;
            a[base + 3] = l3 + r3;
            double contributionA = (l0 * up[hl] + r0 * up[hr]) + (l1 * up[hl + 1] + r1 * up[hr + 1])
                    + ((l2 * up[hl + 2] + r2 * up[hr + 2]) + (l3 * up[hl + 3] + r3 * up[hr + 3]));
            // Row B.
            hl = lb_[left] & -4;
            hr = lb_[rightChild] & -4;
            l0 = b[lb];
            l1 = b[lb + 1];
            l2 = b[lb + 2];
            l3 = b[lb + 3];
            r0 = b[rb];
            r1 = b[rb + 1];
            r2 = b[rb + 2];
            r3 = b[rb + 3];
            b[base] = l0 + r0;
            b[base + 1] = l1 + r1;
            b[base + 2] = l2 + r2;
            b[base + 3] = l3 + r3;
            double contributionB = (l0 * up[hl] + r0 * up[hr]) + (l1 * up[hl + 1] + r1 * up[hr + 1])
                    + ((l2 * up[hl + 2] + r2 * up[hr + 2]) + (l3 * up[hl + 3] + r3 * up[hr + 3]));
            int fe = feature[node];
            phiA[fe] += scale * contributionA;
            phiB[fe] += scale * contributionB;
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
