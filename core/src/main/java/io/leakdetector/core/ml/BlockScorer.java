package io.leakdetector.core.ml;

import java.util.Arrays;

/**
 * Scores 128 rows at a time through every tree with bit masks instead of one walk per row and tree: the forest's
 * path lengths summed in tree order, bit-identical to walking each row down each tree.
 *
 * <p>For a block of up to 128 rows (bit {@code i} of word {@code w} = row {@code 64w + i}; every mask is two words,
 * side by side, so that one read of a node's entries serves 128 rows):
 * <ol>
 *   <li>Every split of the forest on feature {@code f} compares {@code x_f} with one of the feature's distinct
 *   thresholds {@code t_0 < t_1 < …}. A row's <em>code</em> for {@code f} is the number of thresholds below its value,
 *   so it goes right at the split on {@code t_k} exactly when {@code code > k}. The codes come from a grid of four buckets per
 *   threshold over the thresholds' range: a bucket holds the count of thresholds in earlier buckets, and the row's
 *   value is compared with the bucket's own first two (a loop counts in the rare bucket that holds more), with no
 *   branch on the data in the common case. Per feature, {@code S[k]} = the rows
 *   with {@code code > k} is one suffix OR over the codes: the "rows going right" mask of every split of the forest on
 *   that threshold, computed once per block for all trees. Features no split uses cost nothing.</li>
 *   <li>Per tree, internal nodes level by level: {@code m} = rows reaching the node, {@code m & S[slot]} go right,
 *   the rest left. The rows going right at a node of depth {@code l} also get bit {@code l} of their leaf's
 *   complete-tree index, collected per level in {@code R[l]}: after the tree, row {@code i}'s index is bit
 *   {@code i} of {@code R[0..D-1]} (a leaf above the last level counts as reached by always going left, as in the
 *   complete layout), and its path length is looked up there.</li>
 * </ol>
 * Per tree and block that is about ten operations per internal node plus a few per row, against a chain of
 * {@code D} dependent loads per row: the masks are shared by the 128 rows and there is no branch on the data.
 */
final class BlockScorer {
    static final int BLOCK = 128;

    /**
     * Transposes {@code w[from .. from + 7]} as an 8 x 8 matrix of bytes (row = word, column = byte): afterwards byte
     * {@code l} of word {@code from + g} is what byte {@code g} of word {@code from + l} was. Blocks of 4, 2, then 1
     * byte swap places across word pairs.
     */
    static void transposeBytes(long[] w, int from) {
        for (int l = from; l < from + 4; l++) {
            long a = w[l], b = w[l + 4];
            w[l] = (a & 0x00000000FFFFFFFFL) | (b << 32);
            w[l + 4] = (a >>> 32) | (b & 0xFFFFFFFF00000000L);
        }
        for (int l = from; l < from + 8; l += (l - from) % 4 == 1 ? 3 : 1) {
            long a = w[l], b = w[l + 2];
            w[l] = (a & 0x0000FFFF0000FFFFL) | ((b << 16) & 0xFFFF0000FFFF0000L);
            w[l + 2] = ((a >>> 16) & 0x0000FFFF0000FFFFL) | (b & 0xFFFF0000FFFF0000L);
        }
        for (int l = from; l < from + 8; l += 2) {
            long a = w[l], b = w[l + 1];
            w[l] = (a & 0x00FF00FF00FF00FFL) | ((b << 8) & 0xFF00FF00FF00FF00L);
            w[l + 1] = ((a >>> 8) & 0x00FF00FF00FF00FFL) | (b & 0xFF00FF00FF00FF00L);
        }
    }

    /**
     * The common case of the leaf look-up, written out in registers: a full block of 64 rows and trees of depth at
     * most 8. The same two transposes as {@link #transposeBytes} and {@link #transpose8}.
     */
    private static void leavesOf64(long[] levels, int from, double[] leaves, int leafOff, double[] out, int at) {
        long w0 = levels[from], w1 = levels[from + 1], w2 = levels[from + 2], w3 = levels[from + 3];
        long w4 = levels[from + 4], w5 = levels[from + 5], w6 = levels[from + 6], w7 = levels[from + 7];
        long a, b;
        // 4-byte blocks
        a = w0; b = w4; w0 = (a & 0x00000000FFFFFFFFL) | (b << 32); w4 = (a >>> 32) | (b & 0xFFFFFFFF00000000L);
        a = w1; b = w5; w1 = (a & 0x00000000FFFFFFFFL) | (b << 32); w5 = (a >>> 32) | (b & 0xFFFFFFFF00000000L);
        a = w2; b = w6; w2 = (a & 0x00000000FFFFFFFFL) | (b << 32); w6 = (a >>> 32) | (b & 0xFFFFFFFF00000000L);
        a = w3; b = w7; w3 = (a & 0x00000000FFFFFFFFL) | (b << 32); w7 = (a >>> 32) | (b & 0xFFFFFFFF00000000L);
        // 2-byte blocks
        final long lo16 = 0x0000FFFF0000FFFFL, hi16 = 0xFFFF0000FFFF0000L;
        a = w0; b = w2; w0 = (a & lo16) | ((b << 16) & hi16); w2 = ((a >>> 16) & lo16) | (b & hi16);
        a = w1; b = w3; w1 = (a & lo16) | ((b << 16) & hi16); w3 = ((a >>> 16) & lo16) | (b & hi16);
        a = w4; b = w6; w4 = (a & lo16) | ((b << 16) & hi16); w6 = ((a >>> 16) & lo16) | (b & hi16);
        a = w5; b = w7; w5 = (a & lo16) | ((b << 16) & hi16); w7 = ((a >>> 16) & lo16) | (b & hi16);
        // bytes
        final long lo8 = 0x00FF00FF00FF00FFL, hi8 = 0xFF00FF00FF00FF00L;
        a = w0; b = w1; w0 = (a & lo8) | ((b << 8) & hi8); w1 = ((a >>> 8) & lo8) | (b & hi8);
        a = w2; b = w3; w2 = (a & lo8) | ((b << 8) & hi8); w3 = ((a >>> 8) & lo8) | (b & hi8);
        a = w4; b = w5; w4 = (a & lo8) | ((b << 8) & hi8); w5 = ((a >>> 8) & lo8) | (b & hi8);
        a = w6; b = w7; w6 = (a & lo8) | ((b << 8) & hi8); w7 = ((a >>> 8) & lo8) | (b & hi8);
        add8(transpose8(w0), leaves, leafOff, out, at + 0);
        add8(transpose8(w1), leaves, leafOff, out, at + 8);
        add8(transpose8(w2), leaves, leafOff, out, at + 16);
        add8(transpose8(w3), leaves, leafOff, out, at + 24);
        add8(transpose8(w4), leaves, leafOff, out, at + 32);
        add8(transpose8(w5), leaves, leafOff, out, at + 40);
        add8(transpose8(w6), leaves, leafOff, out, at + 48);
        add8(transpose8(w7), leaves, leafOff, out, at + 56);
    }

    /** Adds the leaf values whose indices are the 8 bytes of {@code indices} to {@code out[at .. at + 7]}. */
    private static void add8(long indices, double[] leaves, int leafOff, double[] out, int at) {
        out[at] += leaves[leafOff + (int) (indices & 0xFF)];
        out[at + 1] += leaves[leafOff + (int) ((indices >>> 8) & 0xFF)];
        out[at + 2] += leaves[leafOff + (int) ((indices >>> 16) & 0xFF)];
        out[at + 3] += leaves[leafOff + (int) ((indices >>> 24) & 0xFF)];
        out[at + 4] += leaves[leafOff + (int) ((indices >>> 32) & 0xFF)];
        out[at + 5] += leaves[leafOff + (int) ((indices >>> 40) & 0xFF)];
        out[at + 6] += leaves[leafOff + (int) ((indices >>> 48) & 0xFF)];
        out[at + 7] += leaves[leafOff + (int) (indices >>> 56)];
    }

    /** Transposes the 8 x 8 bit matrix whose row r is byte r: bit {@code 8r + c} moves to {@code 8c + r}. */
    static long transpose8(long x) {
        long t = (x ^ (x >>> 7)) & 0x00AA00AA00AA00AAL;
        x = x ^ t ^ (t << 7);
        t = (x ^ (x >>> 14)) & 0x0000CCCC0000CCCCL;
        x = x ^ t ^ (t << 14);
        t = (x ^ (x >>> 28)) & 0x00000000F0F0F0F0L;
        return x ^ t ^ (t << 28);
    }

    private final int cols;
    private final int depth;
    private final int trees;
    private final int stride;           // 1 << depth: leaves per tree in the complete layout
    // Path length of the complete-layout leaf whose path has bit l = "right at depth l", at t * stride + that
    // number read with depth 0 as its lowest bit (the order in which the transposed level masks give it).
    private final double[] leafValue;
    // Distinct thresholds per feature, sorted, concatenated: feature f's at thresholdStart[f] .. + thresholdCount[f].
    private final double[] thresholds;
    private final int[] thresholdStart;
    private final int[] thresholdCount;
    private final int[] usedFeatures;
    // Grid per used feature: x falls in bucket bucket(x) = clamp((int) ((x - gridLo[f]) * gridScale[f])), a monotone
    // function of x, so every threshold in an earlier bucket is below x and every one in a later bucket above it. The
    // bucket's entry at gridStart[f] + bucket holds the number of thresholds in earlier buckets, with the sign bit set
    // when the bucket holds more than two (then counted by a loop; with four buckets per threshold that is rare).
    private final double[] gridLo;
    private final double[] gridScale;
    private final int[] gridStart;
    private final int[] gridSize;
    private final int[] grid;
    // Feature f's thresholds at sentinelStart[f] followed by two +infinity, so that the two comparisons with the
    // bucket's first thresholds need no bound check of their own.
    private final double[] sentinelThresholds;
    private final int[] sentinelStart;
    // Internal nodes of all trees, by depth within a tree, tree t's at nodeStart[t] .. nodeStart[t + 1].
    private final int[] nodeStart;
    // Each doubled: the index of the first of the two words (rows 0-63, 64-127) in the scratch's masks and S.
    private final int[] nodeLocal;      // the node's index in its tree (preorder)
    private final int[] nodeRight;      // its right child's index in its tree (the left child is nodeLocal + 1)
    private final int[] nodeSlot;       // index into S: thresholdStart[feature] + rank of its threshold
    private final int[] levelEnd;       // tree t's nodes of depth l end at levelEnd[t * depth + l]
    private final int maxNodes;

    /**
     * Per-thread scratch: S, the node masks and the level masks, two words each (rows 0-63, then 64-127), the two
     * words of one mask side by side.
     */
    final class Scratch {
        final long[] s = new long[2 * thresholds.length];
        final long[] hit = new long[2 * thresholds.length];
        final long[] mask = new long[2 * maxNodes];
        final long[] levels = new long[32];
    }

    BlockScorer(IsolationTree[] forest, int cols, int depth, double[] leafValue) {
        this.cols = cols;
        this.depth = depth;
        this.trees = forest.length;
        this.stride = 1 << depth;
        // The layout numbers leaves with depth 0 as the highest bit: reverse the bits of each index.
        this.leafValue = new double[leafValue.length];
        for (int t = 0; t < trees; t++) {
            for (int j = 0; j < stride; j++) {
                int reversed = depth == 0 ? 0 : Integer.reverse(j) >>> (32 - depth);
                this.leafValue[t * stride + reversed] = leafValue[t * stride + j];
            }
        }
        // Distinct thresholds per feature.
        double[][] perFeature = new double[cols][];
        int[] counts = new int[cols];
        for (IsolationTree tree : forest) for (int f : tree.feature) if (f >= 0) counts[f]++;
        for (int f = 0; f < cols; f++) perFeature[f] = new double[counts[f]];
        Arrays.fill(counts, 0);
        int internal = 0, nodes = 1;
        for (IsolationTree tree : forest) {
            nodes = Math.max(nodes, tree.size());
            for (int n = 0; n < tree.size(); n++) {
                int f = tree.feature[n];
                if (f >= 0) {
                    perFeature[f][counts[f]++] = tree.threshold[n];
                    internal++;
                }
            }
        }
        this.maxNodes = nodes;
        thresholdStart = new int[cols];
        thresholdCount = new int[cols];
        int total = 0, used = 0;
        for (int f = 0; f < cols; f++) {
            double[] t = perFeature[f];
            Arrays.sort(t);
            int distinct = 0;
            for (int i = 0; i < t.length; i++) if (i == 0 || t[i] != t[distinct - 1]) t[distinct++] = t[i];
            perFeature[f] = Arrays.copyOf(t, distinct);
            thresholdStart[f] = total;
            thresholdCount[f] = distinct;
            total += distinct;
            if (distinct > 0) used++;
        }
        thresholds = new double[total];
        usedFeatures = new int[used];
        gridLo = new double[cols];
        gridScale = new double[cols];
        gridStart = new int[cols];
        gridSize = new int[cols];
        sentinelStart = new int[cols];
        int gridTotal = 0, sentinelTotal = 0;
        for (int f = 0, u = 0; f < cols; f++) {
            System.arraycopy(perFeature[f], 0, thresholds, thresholdStart[f], thresholdCount[f]);
            if (thresholdCount[f] > 0) usedFeatures[u++] = f;
            gridSize[f] = thresholdCount[f] > 0 ? GRID_PER_THRESHOLD * thresholdCount[f] : 0;
            gridStart[f] = gridTotal;
            gridTotal += gridSize[f];
            sentinelStart[f] = sentinelTotal;
            sentinelTotal += thresholdCount[f] + 2;
        }
        grid = new int[gridTotal];
        sentinelThresholds = new double[sentinelTotal];
        Arrays.fill(sentinelThresholds, Double.POSITIVE_INFINITY);
        for (int f : usedFeatures) {
            double[] t = perFeature[f];
            System.arraycopy(t, 0, sentinelThresholds, sentinelStart[f], t.length);
            double lo = t[0], hi = t[t.length - 1];
            double scale = hi > lo ? gridSize[f] / (hi - lo) : 0;
            if (!Double.isFinite(scale)) scale = 0;
            gridLo[f] = lo;
            gridScale[f] = scale;
            int[] inBucket = new int[gridSize[f]];
            for (double v : t) inBucket[bucket(v, lo, scale, gridSize[f] - 1)]++;
            for (int b = 0, below = 0; b < gridSize[f]; b++) {
                grid[gridStart[f] + b] = inBucket[b] > 2 ? below | Integer.MIN_VALUE : below;
                below += inBucket[b];
            }
        }
        // Internal nodes level by level (a parent before its children, and the nodes of one level independent of
        // each other, so that their mask updates overlap instead of waiting on the store just made), with their slot
        // in S.
        nodeStart = new int[trees + 1];
        nodeLocal = new int[internal];
        nodeRight = new int[internal];
        nodeSlot = new int[internal];
        levelEnd = new int[trees * Math.max(1, depth)];
        int k = 0;
        for (int t = 0; t < trees; t++) {
            IsolationTree tree = forest[t];
            nodeStart[t] = k;
            int[] level = new int[tree.size()];
            int deepest = 0;
            for (int n = 0; n < tree.size(); n++) {
                if (tree.feature[n] < 0) continue;
                level[n + 1] = level[n] + 1;
                level[tree.right[n]] = level[n] + 1;
                deepest = Math.max(deepest, level[n]);
            }
            for (int l = 0; l <= deepest; l++) {
                for (int n = 0; n < tree.size(); n++) {
                    int f = tree.feature[n];
                    if (f < 0 || level[n] != l) continue;
                    nodeLocal[k] = 2 * n;
                    nodeRight[k] = 2 * tree.right[n];
                    nodeSlot[k] = 2 * (thresholdStart[f] + lowerBound(perFeature[f], tree.threshold[n]));
                    k++;
                }
                if (l < depth) levelEnd[t * depth + l] = k;
            }
            for (int l = deepest + 1; l < depth; l++) levelEnd[t * depth + l] = k;
        }
        nodeStart[trees] = k;
    }

    Scratch scratch() { return new Scratch(); }

    /** Grid buckets holding more than two thresholds, whose rows take the counting loop (tests make sure it runs). */
    int crowdedBuckets() {
        int n = 0;
        for (int g : grid) if (g < 0) n++;
        return n;
    }

    /**
     * Whether a block costs less per row than walking each row down each tree. The block's set-up (two passes over
     * the distinct thresholds) and its node masks are shared by 128 rows; a walk costs about ten operations per level
     * and tree. Large subsamples with many distinct thresholds tip it towards the walk.
     */
    boolean cheaperThanWalking() {
        double perRow = (2.0 * thresholds.length + 10.0 * nodeLocal.length) / BLOCK + 8.0 * trees;
        return perRow < 10.0 * trees * Math.max(1, depth);
    }

    /** Buckets of the code grid per distinct threshold of a feature. */
    private static final int GRID_PER_THRESHOLD = 4;

    /** The grid bucket of {@code x}; the hot loop of {@link #sumPathLengths} computes it with the same operations. */
    private static int bucket(double x, double lo, double scale, int gmax) {
        double pos = (x - lo) * scale;
        return pos <= 0 ? 0 : pos >= gmax ? gmax : (int) pos;
    }

    /** The number of values of {@code sorted} below {@code x}. */
    private static int lowerBound(double[] sorted, double x) {
        int lo = 0, hi = sorted.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (sorted[mid] < x) lo = mid + 1;
            else hi = mid;
        }
        return lo;
    }

    /**
     * Adds the path lengths of rows {@code first .. first + count - 1} (at most 128) of the row-major {@code data}
     * over every tree, in tree order, to {@code out[0 .. count - 1]}.
     */
    void sumPathLengths(double[] data, int first, int count, Scratch w, double[] out) {
        final long[] s = w.s, hit = w.hit, mask = w.mask, levels = w.levels;
        // rows 0-63 in the first word of every mask, rows 64-127 in the second
        final long all0 = count >= 64 ? -1L : (1L << count) - 1;
        final long all1 = count >= 128 ? -1L : count <= 64 ? 0L : (1L << (count - 64)) - 1;
        // 1. S per feature: bit i set at code(x_i) - 1, then a suffix OR, so S[k] = rows with code > k.
        final double[] th = sentinelThresholds;
        for (int f : usedFeatures) {
            final int start = thresholdStart[f], m = thresholdCount[f];
            final double lo = gridLo[f], scale = gridScale[f];
            final int gs = gridStart[f], gmax = gridSize[f] - 1, ts = sentinelStart[f];
            for (int i = 0; i < count; i++) {
                double x = data[(first + i) * cols + f];
                double pos = (x - lo) * scale;
                int b = pos <= 0 ? 0 : pos >= gmax ? gmax : (int) pos;
                int g = grid[gs + b];
                int c;
                if (g >= 0) {
                    // the thresholds below x: those of earlier buckets and the bucket's own (at most two) below x
                    c = g + (th[ts + g] < x ? 1 : 0) + (th[ts + g + 1] < x ? 1 : 0);
                } else {
                    c = g & Integer.MAX_VALUE;
                    while (c < m && th[ts + c] < x) c++;
                }
                if (c > 0) hit[2 * (start + c - 1) + (i >>> 6)] |= 1L << i;   // the shift takes i mod 64
            }
            long acc0 = 0, acc1 = 0;
            for (int k = 2 * (start + m - 1); k >= 2 * start; k -= 2) {
                acc0 |= hit[k];
                acc1 |= hit[k + 1];
                hit[k] = 0;
                hit[k + 1] = 0;
                s[k] = acc0;
                s[k + 1] = acc1;
            }
        }
        // 2. Per tree: masks down the preorder, leaf index bits per level, path length per row.
        final int d = depth;
        final int[] local = nodeLocal, right = nodeRight, slot = nodeSlot, ends = levelEnd;
        final double[] leaves = leafValue;
        for (int t = 0; t < trees; t++) {
            mask[0] = all0;
            mask[1] = all1;
            int k = nodeStart[t];
            for (int l = 0; l < d; l++) {
                long goRight0 = 0, goRight1 = 0;   // rows going right at depth l: bit l of their leaf index
                for (int end = ends[t * d + l]; k < end; k++) {
                    int n = local[k], r = right[k], sl = slot[k];
                    long m0 = mask[n], m1 = mask[n + 1];
                    long r0 = m0 & s[sl], r1 = m1 & s[sl + 1];
                    mask[n + 2] = m0 & ~r0;
                    mask[n + 3] = m1 & ~r1;
                    mask[r] = r0;
                    mask[r + 1] = r1;
                    goRight0 |= r0;
                    goRight1 |= r1;
                }
                levels[l] = goRight0;
                levels[16 + l] = goRight1;
            }
            final int leafOff = t * stride;
            // Row i's leaf is bit i of levels[0..d-1]: transpose the 8 (or 16) level words to one byte per row,
            // first as an 8 x 8 matrix of bytes (word g then holds byte g of every level), then each word as an 8 x 8
            // matrix of bits. The same for rows 64-127 from levels[16 ..].
            for (int h = 0; h < 2; h++) {
                final int rows = Math.min(64, count - 64 * h), from = 16 * h, at = 64 * h;
                if (rows <= 0) break;
                if (d <= 8 && rows == 64) {
                    leavesOf64(levels, from, leaves, leafOff, out, at);
                    continue;
                }
                Arrays.fill(levels, from + d, from + 16, 0L);   // the transposes below scramble the words in place
                transposeBytes(levels, from);
                if (d > 8) transposeBytes(levels, from + 8);
                for (int g = 0; g < rows; g += 8) {
                    long lo = transpose8(levels[from + (g >>> 3)]);
                    long hi = d > 8 ? transpose8(levels[from + 8 + (g >>> 3)]) : 0;
                    int n = Math.min(8, rows - g);
                    for (int j = 0; j < n; j++) {
                        int index = (int) ((lo >>> (8 * j)) & 0xFF) | (int) ((hi >>> (8 * j)) & 0xFF) << 8;
                        out[at + g + j] += leaves[leafOff + index];
                    }
                }
            }
        }
    }
}
