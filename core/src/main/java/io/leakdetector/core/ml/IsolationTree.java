package io.leakdetector.core.ml;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * One isolation tree in flat arrays, nodes in preorder (the left child of an internal node {@code n} is
 * {@code n + 1}). Besides the split, every node keeps its cover (training rows of the subsample that reach it),
 * which TreeSHAP needs as the weight of each branch when a feature is unknown.
 */
final class IsolationTree {
    final int[] feature;      // split feature, -1 at a leaf
    final double[] threshold; // go left when x[feature] <= threshold
    final int[] right;        // right child; -1 at a leaf
    final int[] cover;        // rows of the subsample that reach the node
    final double[] value;     // at a leaf: depth + c(cover); 0 inside

    // Derived for TreeSHAP, independent of the row explained.
    final int[] parent;       // -1 at the root
    final int[] prevSame;     // for a non-root node c whose parent splits on f: the child-on-path of the nearest
                              // ancestor above that also splits on f, or -1
    final double[] zMerged;   // product of cover ratios of every split on the parent's feature down to this node
    final int[] internal;     // internal nodes in preorder
    final int[] prevOrSentinel; // prevSame with -1 replaced by size(): a slot TreeShap keeps at "factor 1, followed"
    /** TreeShap's row-independent tables for this tree ({@code TreeShap.prepare}); set by the forest. */
    double[] shapDown;
    double[] shapUp;
    double[] shapBottom;
    double[] shapPair;
    /**
     * TreeShap's partition of the internal nodes: {@code upper} (in preorder) are done in two passes; {@code bottom}
     * nodes (both children leaves) in one step; {@code pair} nodes, whose children are each a leaf or a bottom node,
     * in one step together with those children. Each pair node has two pieces (left child, right child) with the
     * split a piece's own indicator case is read from: {@code pieceFeature}, {@code pieceThreshold} and
     * {@code piecePrev} (where the indicator of an earlier split on that feature is kept), a leaf's piece pointing at
     * feature 0, threshold +infinity and the sentinel.
     */
    final int[] upper;
    final int[] bottom;
    final int[] pair;
    final int[] pieceFeature;
    final double[] pieceThreshold;
    final int[] piecePrev;
    final double baseline;    // sum over leaves of value * cover / cover(root)
    final int depth;          // deepest leaf

    IsolationTree(int[] feature, double[] threshold, int[] cover, double[] value) {
        int n = feature.length;
        if (threshold.length != n || cover.length != n || value.length != n || n == 0) {
            throw new IllegalArgumentException("inconsistent tree arrays");
        }
        this.feature = feature;
        this.threshold = threshold;
        this.cover = cover;
        this.value = value;
        this.right = new int[n];
        this.parent = new int[n];
        this.prevSame = new int[n];
        this.zMerged = new double[n];
        Arrays.fill(right, -1);
        parent[0] = -1;
        // Rebuild the shape from preorder: a stack of internal nodes still waiting for their right child.
        int[] stack = new int[n];
        int[] nodeDepth = new int[n];
        int top = 0, maxDepth = 0;
        for (int i = 1; i < n; i++) {
            int p = i - 1;
            if (feature[p] >= 0) {
                parent[i] = p;               // left child of the previous node
                stack[top++] = p;
            } else {
                if (top == 0) throw new IllegalArgumentException("malformed tree: node " + i + " has no parent");
                p = stack[--top];
                right[p] = i;
                parent[i] = p;
            }
            nodeDepth[i] = nodeDepth[parent[i]] + 1;
            maxDepth = Math.max(maxDepth, nodeDepth[i]);
        }
        for (int i = 0; i < n; i++) {
            if (feature[i] >= 0 && right[i] < 0) throw new IllegalArgumentException("malformed tree: node " + i + " lacks a child");
            if (cover[i] < 1) throw new IllegalArgumentException("malformed tree: node " + i + " has cover " + cover[i]);
            if (feature[i] >= 0 && cover[i + 1] + cover[right[i]] != cover[i]) {
                throw new IllegalArgumentException("malformed tree: covers of node " + i + " do not add up");
            }
        }
        this.depth = maxDepth;
        double base = 0;
        for (int c = 0; c < n; c++) {
            if (c == 0) {
                prevSame[c] = -1;
                zMerged[c] = 1;
            } else {
                int p = parent[c];
                int f = feature[p];
                int prev = -1;
                for (int child = p, a = parent[p]; a >= 0; child = a, a = parent[a]) {
                    if (feature[a] == f) {
                        prev = child;
                        break;
                    }
                }
                prevSame[c] = prev;
                double z = cover[c] / (double) cover[p];
                zMerged[c] = prev >= 0 ? z * zMerged[prev] : z;
            }
            if (feature[c] < 0) base += value[c] * cover[c] / (double) cover[0];
        }
        this.baseline = base;
        int internalCount = 0;
        for (int f : feature) if (f >= 0) internalCount++;
        this.internal = new int[internalCount];
        for (int i = 0, j = 0; i < n; i++) if (feature[i] >= 0) internal[j++] = i;
        this.prevOrSentinel = new int[n];
        for (int i = 0; i < n; i++) prevOrSentinel[i] = prevSame[i] >= 0 ? prevSame[i] : n;
        boolean[] isBottom = new boolean[n], isPair = new boolean[n];
        for (int i : internal) isBottom[i] = feature[i + 1] < 0 && feature[right[i]] < 0;
        int bottomCount = 0, pairCount = 0, upperCount = 0;
        for (int i : internal) {
            int l = i + 1, r = right[i];
            isPair[i] = !isBottom[i] && (feature[l] < 0 || isBottom[l]) && (feature[r] < 0 || isBottom[r]);
        }
        for (int i : internal) {
            if (isPair[i]) pairCount++;
            else if (!isBottom[i]) upperCount++;
            else if (i == 0 || !isPair[parent[i]]) bottomCount++;
        }
        this.upper = new int[upperCount];
        this.bottom = new int[bottomCount];
        this.pair = new int[pairCount];
        this.pieceFeature = new int[2 * pairCount];
        this.pieceThreshold = new double[2 * pairCount];
        this.piecePrev = new int[2 * pairCount];
        int u = 0, b = 0, q = 0;
        for (int i : internal) {
            if (isPair[i]) {
                for (int side = 0; side < 2; side++) {
                    int c = side == 0 ? i + 1 : right[i];
                    boolean leaf = feature[c] < 0;
                    pieceFeature[2 * q + side] = leaf ? 0 : feature[c];
                    pieceThreshold[2 * q + side] = leaf ? Double.POSITIVE_INFINITY : threshold[c];
                    piecePrev[2 * q + side] = leaf ? n : prevOrSentinel[c + 1];
                }
                pair[q++] = i;
            } else if (!isBottom[i]) {
                upper[u++] = i;
            } else if (i == 0 || !isPair[parent[i]]) {
                bottom[b++] = i;
            }
        }
    }

    int size() { return feature.length; }

    /** The path length {@code h(x)} of one row: edges to its leaf plus c(leaf cover). */
    double pathLength(double[] x, int offset) {
        int n = 0;
        while (feature[n] >= 0) n = x[offset + feature[n]] <= threshold[n] ? n + 1 : right[n];
        return value[n];
    }

    /**
     * Grows a tree on the rows {@code data[rows[i] * cols ...]}. A split picks a feature uniformly among those not
     * constant in the node (as scikit-learn does; Liu et al. leave that case open) and a threshold uniformly
     * between its minimum and maximum; a node becomes a leaf at one row, at the depth limit, or when every
     * feature is constant.
     */
    static IsolationTree grow(double[] data, int cols, int[] rows, int maxDepth, SplittableRandom rng) {
        Builder b = new Builder(data, cols, rows, maxDepth, rng);
        b.grow(0, rows.length, 0);
        return b.build();
    }

    private static final class Builder {
        final double[] data;
        final int cols;
        final int[] rows;
        final int maxDepth;
        final SplittableRandom rng;
        final int[] featureOrder;
        int size;
        int[] feature = new int[64];
        double[] threshold = new double[64];
        int[] cover = new int[64];
        double[] value = new double[64];

        Builder(double[] data, int cols, int[] rows, int maxDepth, SplittableRandom rng) {
            this.data = data;
            this.cols = cols;
            this.rows = rows;
            this.maxDepth = maxDepth;
            this.rng = rng;
            this.featureOrder = new int[cols];
            for (int i = 0; i < cols; i++) featureOrder[i] = i;
        }

        void grow(int lo, int hi, int depth) {
            int node = add();
            int count = hi - lo;
            cover[node] = count;
            if (count <= 1 || depth >= maxDepth || !split(node, lo, hi)) {
                feature[node] = -1;
                value[node] = depth + PathLength.c(count);
                return;
            }
            int f = feature[node];
            double t = threshold[node];
            int mid = lo;
            for (int i = lo; i < hi; i++) {    // partition: rows going left first
                if (data[rows[i] * cols + f] <= t) {
                    int tmp = rows[i];
                    rows[i] = rows[mid];
                    rows[mid++] = tmp;
                }
            }
            grow(lo, mid, depth + 1);
            grow(mid, hi, depth + 1);
        }

        /** Chooses the split of {@code node}; false when every feature is constant among its rows. */
        boolean split(int node, int lo, int hi) {
            // Partial Fisher–Yates over the features: each draw is uniform among those not tried yet, so the
            // first non-constant one found is uniform among the non-constant features.
            for (int k = 0; k < cols; k++) {
                int j = k + rng.nextInt(cols - k);
                int f = featureOrder[j];
                featureOrder[j] = featureOrder[k];
                featureOrder[k] = f;
                double min = Double.POSITIVE_INFINITY, max = Double.NEGATIVE_INFINITY;
                for (int i = lo; i < hi; i++) {
                    double v = data[rows[i] * cols + f];
                    if (v < min) min = v;
                    if (v > max) max = v;
                }
                if (max > min) {
                    double t = min + rng.nextDouble() * (max - min);
                    if (t >= max) t = min;      // rounding reached max: keep both sides non-empty
                    feature[node] = f;
                    threshold[node] = t;
                    return true;
                }
            }
            return false;
        }

        int add() {
            if (size == feature.length) {
                int n = size * 2;
                feature = Arrays.copyOf(feature, n);
                threshold = Arrays.copyOf(threshold, n);
                cover = Arrays.copyOf(cover, n);
                value = Arrays.copyOf(value, n);
            }
            return size++;
        }

        IsolationTree build() {
            return new IsolationTree(Arrays.copyOf(feature, size), Arrays.copyOf(threshold, size),
                    Arrays.copyOf(cover, size), Arrays.copyOf(value, size));
        }
    }
}
