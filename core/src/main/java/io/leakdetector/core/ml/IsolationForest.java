package io.leakdetector.core.ml;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import java.util.zip.CRC32;
import java.util.zip.CheckedInputStream;
import java.util.zip.CheckedOutputStream;

/**
 * An Isolation Forest (Liu, Ting and Zhou 2008) with exact TreeSHAP explanations: an immutable model built by
 * {@link #fit}, scoring {@code s(x) = 2^(-E[h(x)] / c(psi))} where {@code h} is the path length of a row in one
 * tree (edges to its leaf plus {@code c(leaf cover)}), {@code E} the mean over the trees and {@code psi} the
 * subsample size. Scores lie in (0, 1]; near 1 is anomalous, 0.5 and below is ordinary.
 *
 * <p>{@link #explain} attributes the expected path length: {@code baseline + sum(contributions) = E[h(x)]}, so a
 * negative contribution makes the row more anomalous. All randomness comes from the seed; fitting twice on the
 * same data with the same parameters gives byte-identical {@link #writeTo serialisations}.
 */
public final class IsolationForest implements Model {
    static final int FORMAT_VERSION = 1;
    static final String ALGORITHM = "isolation-forest";
    private static final byte[] MAGIC = "LDIFOREST".getBytes(StandardCharsets.US_ASCII);
    /** Rows per block when walking: enough independent traversals in flight to hide memory and branch latency. */
    private static final int BLOCK = 64;
    /** Trees up to this depth are also laid out as complete binary trees for branch-free scoring. */
    private static final int MAX_COMPLETE_DEPTH = 12;

    private final ModelProvenance provenance;
    private final IsolationTree[] trees;
    private final double[] referenceValues;
    private final double normaliser;          // c(psi)
    private final TreeShap shap;
    private final int maxNodes;
    private final double baseline;
    // Complete-tree layout: tree t, node i (1-based heap order) at t * stride + i; leaves at t * leaves + j.
    private final int layoutDepth;
    private final int[] heapFeature;
    private final double[] heapThreshold;
    private final double[] heapLeaf;
    private final BlockScorer blocks;        // many rows at once (null when the trees are too deep for the layout,
                                             // or when walking them costs less, see BlockScorer.cheaperThanWalking)

    private IsolationForest(ModelProvenance provenance, IsolationTree[] trees, double[] referenceValues) {
        this.provenance = provenance;
        this.trees = trees;
        this.referenceValues = referenceValues.clone();
        int cols = provenance.featureNames().size();
        if (referenceValues.length != cols) throw new IllegalArgumentException("one reference value per feature is required");
        this.normaliser = PathLength.c(provenance.effectiveSubsample());
        int nodes = 1, depth = 0;
        double base = 0;
        for (IsolationTree tree : trees) {
            for (int f : tree.feature) {
                if (f >= cols) throw new IllegalArgumentException("tree splits on feature " + f + " of " + cols);
            }
            nodes = Math.max(nodes, tree.size());
            depth = Math.max(depth, tree.depth);
            base += tree.baseline;
        }
        this.maxNodes = nodes;
        this.baseline = base / trees.length;
        this.shap = new TreeShap(Math.max(depth, provenance.maxDepth()));
        for (IsolationTree tree : trees) shap.prepare(tree);
        if (depth <= MAX_COMPLETE_DEPTH) {
            this.layoutDepth = depth;
            int stride = 1 << depth;
            heapFeature = new int[trees.length * stride];
            heapThreshold = new double[trees.length * stride];
            heapLeaf = new double[trees.length * stride];
            for (int t = 0; t < trees.length; t++) layout(trees[t], 0, 1, 0, t * stride);
            BlockScorer scorer = new BlockScorer(trees, cols, depth, heapLeaf);
            this.blocks = scorer.cheaperThanWalking() ? scorer : null;
        } else {
            this.blocks = null;
            this.layoutDepth = -1;
            heapFeature = null;
            heapThreshold = null;
            heapLeaf = null;
        }
    }

    /**
     * Copies a tree into the complete layout. A leaf above the last level becomes a chain of always-left nodes
     * (threshold +infinity) ending at the leftmost slot below it, which holds its path length.
     */
    private void layout(IsolationTree tree, int node, int heap, int depth, int offset) {
        if (depth == layoutDepth) {
            heapLeaf[offset + heap - (1 << layoutDepth)] = tree.value[node];
            return;
        }
        if (tree.feature[node] < 0) {
            heapFeature[offset + heap] = 0;
            heapThreshold[offset + heap] = Double.POSITIVE_INFINITY;
            layout(tree, node, 2 * heap, depth + 1, offset);
            return;
        }
        heapFeature[offset + heap] = tree.feature[node];
        heapThreshold[offset + heap] = tree.threshold[node];
        layout(tree, node + 1, 2 * heap, depth + 1, offset);
        layout(tree, tree.right[node], 2 * heap + 1, depth + 1, offset);
    }

    /** Fits a forest on every row of {@code data}; {@code dataWindow} describes the rows for the provenance. */
    public static IsolationForest fit(FeatureMatrix data, IsolationForestParams params, String dataWindow) {
        return fit(data, params, dataWindow, true);
    }

    /** The same forest as {@link #fit}, grown on the calling thread only (benchmarks measure one core). */
    static IsolationForest fitSequential(FeatureMatrix data, IsolationForestParams params, String dataWindow) {
        return fit(data, params, dataWindow, false);
    }

    private static IsolationForest fit(FeatureMatrix data, IsolationForestParams params, String dataWindow, boolean parallel) {
        int n = data.rows(), cols = data.cols();
        if (n < 1) throw new IllegalArgumentException("cannot fit an isolation forest on no rows");
        int psi = Math.min(params.subsampleSize(), n);
        int maxDepth = IsolationForestParams.maxDepth(psi);
        // Seeds drawn up front in tree order, so the forest does not depend on which thread grows which tree.
        SplittableRandom master = new SplittableRandom(params.seed());
        long[] seeds = new long[params.trees()];
        for (int t = 0; t < seeds.length; t++) seeds[t] = master.nextLong();
        double[] all = data.data();
        IsolationTree[] trees = new IsolationTree[params.trees()];
        IntStream indices = IntStream.range(0, trees.length);
        (parallel ? indices.parallel() : indices).forEach(t -> {
            SplittableRandom rng = new SplittableRandom(seeds[t]);
            int[] sample = sampleWithoutReplacement(n, psi, rng);
            double[] local = new double[psi * cols];   // the subsample, contiguous: growing reads it many times
            for (int i = 0; i < psi; i++) System.arraycopy(all, sample[i] * cols, local, i * cols, cols);
            int[] rows = new int[psi];
            for (int i = 0; i < psi; i++) rows[i] = i;
            trees[t] = IsolationTree.grow(local, cols, rows, maxDepth, rng);
        });
        ModelProvenance provenance = new ModelProvenance(FORMAT_VERSION, ALGORITHM, params, psi, maxDepth,
                data.featureNames(), dataWindow, n);
        return new IsolationForest(provenance, trees, data.medians());
    }

    /** Fits with the default parameters (100 trees, 256 rows each, the fixed default seed). */
    public static IsolationForest fit(FeatureMatrix data, String dataWindow) {
        return fit(data, IsolationForestParams.defaults(), dataWindow);
    }

    /** {@code k} distinct indices out of {@code n}: Fisher–Yates over a virtual array, O(k) time and memory. */
    static int[] sampleWithoutReplacement(int n, int k, SplittableRandom rng) {
        int[] out = new int[k];
        Map<Integer, Integer> swapped = new HashMap<>();
        for (int i = 0; i < k; i++) {
            int j = i + rng.nextInt(n - i);
            int vi = swapped.getOrDefault(i, i);
            int vj = swapped.getOrDefault(j, j);
            swapped.put(j, vi);
            out[i] = vj;
        }
        return out;
    }

    public ModelProvenance provenance() { return provenance; }

    @Override
    public List<String> featureNames() { return provenance.featureNames(); }

    /** Per-feature medians of the training rows: the "typical" values explanations compare against. */
    public double[] referenceValues() { return referenceValues.clone(); }

    public int treeCount() { return trees.length; }

    /** {@code c(psi)}, the path length that maps to a score of 0.5. */
    public double normaliser() { return normaliser; }

    /** The expected path length with no feature known (cover-weighted over every leaf), mean over the trees. */
    public double baseline() { return baseline; }

    IsolationTree tree(int t) { return trees[t]; }

    TreeShap shap() { return shap; }

    /** {@code 2^(-pathLength / c(psi))}. */
    public double scoreOfPathLength(double pathLength) {
        return normaliser > 0 ? Math.pow(2.0, -pathLength / normaliser) : 0.5;
    }

    /** The mean path length {@code E[h(x)]} of one row over the trees. */
    public double pathLength(double[] row) {
        checkRow(row);
        double[] out = new double[1];
        pathLengths(row, 1, out, 0);
        return out[0];
    }

    @Override
    public double score(double[] row) {
        return scoreOfPathLength(pathLength(row));
    }

    @Override
    public double[] scoreAll(FeatureMatrix rows) {
        checkColumns(rows);
        double[] out = new double[rows.rows()];
        int chunks = (rows.rows() + CHUNK - 1) / CHUNK;
        IntStream.range(0, chunks).parallel().forEach(c -> scoreRange(rows.data(), c * CHUNK,
                Math.min(rows.rows(), (c + 1) * CHUNK), out));
        return out;
    }

    /** Rows per parallel task of {@link #scoreAll}: enough blocks to pay for one scratch of the block scorer. */
    private static final int CHUNK = 8 * BlockScorer.BLOCK;

    /** Scores rows {@code from..to} of a row-major array on the calling thread (benchmarks measure one core). */
    void scoreRange(double[] data, int from, int to, double[] out) {
        scoreRange(data, from, to, out, blocks != null);
    }

    /**
     * {@link #scoreRange}, with {@code useBlocks} false walking every row down every tree instead of the block scorer
     * (the previous algorithm, kept for single rows, deep trees and forests where walking costs less), and true using
     * the block scorer whenever the layout allows (tests and benchmarks compare the two).
     */
    void scoreRange(double[] data, int from, int to, double[] out, boolean useBlocks) {
        int cols = provenance.featureNames().size();
        BlockScorer scorer = !useBlocks || layoutDepth < 0 ? null
                : blocks != null ? blocks : new BlockScorer(trees, cols, layoutDepth, heapLeaf);
        BlockScorer.Scratch scratch = scorer != null && to - from >= MIN_BLOCK_ROWS ? scorer.scratch() : null;
        // The block scorer takes 128 rows at a time; the walk 64 (8 % less CPU per row than with 128, JMH).
        int step = scratch != null ? BlockScorer.BLOCK : BLOCK;
        double[] block = new double[step];
        for (int start = from; start < to; start += step) {
            int end = Math.min(to, start + step), count = end - start;
            Arrays.fill(block, 0.0);
            if (scratch != null && count >= MIN_BLOCK_ROWS) {
                scorer.sumPathLengths(data, start, count, scratch, block);
                for (int i = 0; i < count; i++) block[i] /= trees.length;
            } else {
                pathLengthsAt(data, start, count, cols, block);
            }
            for (int i = 0; i < count; i++) out[start + i] = scoreOfPathLength(block[i]);
        }
    }

    /** Below this many rows a block is walked row by row: the block scorer's per-block set-up would dominate. */
    private static final int MIN_BLOCK_ROWS = 8;

    private void pathLengths(double[] row, int count, double[] out, int outOffset) {
        double[] tmp = new double[count];
        pathLengthsAt(row, 0, count, provenance.featureNames().size(), tmp);
        System.arraycopy(tmp, 0, out, outOffset, count);
    }

    /** Mean path lengths of {@code count} consecutive rows starting at row {@code first}; trees summed in order. */
    private void pathLengthsAt(double[] data, int first, int count, int cols, double[] out) {
        if (layoutDepth >= 0) {
            final int depth = layoutDepth, stride = 1 << depth;
            final int[] hf = heapFeature;
            final double[] ht = heapThreshold, hl = heapLeaf;
            for (int t = 0; t < trees.length; t++) {
                final int off = t * stride, leafOff = off - stride;
                // One tree for the whole block: its nodes stay in cache. Four rows walk it in lockstep so that
                // four independent load chains are in flight; one walk alone is bound by load latency.
                int i = 0;
                for (; i + 4 <= count; i += 4) {
                    final int b0 = (first + i) * cols, b1 = b0 + cols, b2 = b1 + cols, b3 = b2 + cols;
                    int h0 = 1, h1 = 1, h2 = 1, h3 = 1;
                    for (int d = 0; d < depth; d++) {
                        // Right when x > threshold, i.e. when threshold - x is negative: the sign bit, no branch
                        // to mispredict. Exact: two different doubles never subtract to zero (gradual underflow).
                        h0 = 2 * h0 + (int) (Double.doubleToRawLongBits(ht[off + h0] - data[b0 + hf[off + h0]]) >>> 63);
                        h1 = 2 * h1 + (int) (Double.doubleToRawLongBits(ht[off + h1] - data[b1 + hf[off + h1]]) >>> 63);
                        h2 = 2 * h2 + (int) (Double.doubleToRawLongBits(ht[off + h2] - data[b2 + hf[off + h2]]) >>> 63);
                        h3 = 2 * h3 + (int) (Double.doubleToRawLongBits(ht[off + h3] - data[b3 + hf[off + h3]]) >>> 63);
                    }
                    out[i] += hl[leafOff + h0];
                    out[i + 1] += hl[leafOff + h1];
                    out[i + 2] += hl[leafOff + h2];
                    out[i + 3] += hl[leafOff + h3];
                }
                for (; i < count; i++) {
                    final int base = (first + i) * cols;
                    int h = 1;
                    for (int d = 0; d < depth; d++) {
                        h = 2 * h + (int) (Double.doubleToRawLongBits(ht[off + h] - data[base + hf[off + h]]) >>> 63);
                    }
                    out[i] += hl[leafOff + h];
                }
            }
        } else {
            for (IsolationTree tree : trees) {
                for (int i = 0; i < count; i++) out[i] += tree.pathLength(data, (first + i) * cols);
            }
        }
        for (int i = 0; i < count; i++) out[i] /= trees.length;
    }

    /**
     * Exact TreeSHAP attribution of the row's expected path length. The contributions add up to
     * {@code pathLength - baseline}; negative values pull the row towards "anomalous".
     */
    @Override
    public Attribution explain(double[] row) {
        checkRow(row);
        return explain(row, 0, shap.workspace(maxNodes));
    }

    /** Explanations of every row, computed in parallel (each row's result does not depend on the others). */
    public Attribution[] explainAll(FeatureMatrix rows) {
        checkColumns(rows);
        Attribution[] out = new Attribution[rows.rows()];
        int chunks = (rows.rows() + EXPLAIN_CHUNK - 1) / EXPLAIN_CHUNK;
        IntStream.range(0, chunks).parallel().forEach(c -> explainRange(rows.data(), c * EXPLAIN_CHUNK,
                Math.min(rows.rows(), (c + 1) * EXPLAIN_CHUNK), shap.workspace(maxNodes), out));
        return out;
    }

    /** Rows per parallel task of {@link #explainAll}. */
    private static final int EXPLAIN_CHUNK = 256;
    /**
     * Rows explained together, one tree at a time: the tree and its TreeSHAP tables stay in the core's cache. The 100
     * trees' tables (2.2 MB for the default forest) do not fit the L2 cache, so each tree is fetched once per block:
     * 128 rows take 0.87 of the CPU time per row of 32 (BENCHMARKS.md, fifth pass), 256 no less than 128.
     */
    private static final int EXPLAIN_BLOCK = 128;

    /**
     * Explains rows {@code from..to} of a row-major array on the calling thread into {@code out[from..to]}. Trees are
     * the outer loop over a block of rows, so each tree's arrays are read from cache by every row of the block; each
     * row's contributions are still summed in tree order, so the result equals {@link #explain} bit for bit.
     */
    void explainRange(double[] data, int from, int to, TreeShap.Workspace workspace, Attribution[] out) {
        int cols = provenance.featureNames().size();
        TreeShap.Workspace second = shap.workspace(maxNodes);
        double scale = 1.0 / trees.length;
        double[] lengths = new double[EXPLAIN_BLOCK];
        for (int start = from; start < to; start += EXPLAIN_BLOCK) {
            int count = Math.min(EXPLAIN_BLOCK, to - start);
            double[][] phi = new double[count][cols];
            for (IsolationTree tree : trees) {
                int i = 0;
                for (; i + 2 <= count; i += 2) {
                    shap.accumulatePair(tree, data, (start + i) * cols, (start + i + 1) * cols, scale, workspace, second,
                            phi[i], phi[i + 1]);
                }
                if (i < count) shap.accumulate(tree, data, (start + i) * cols, scale, workspace, phi[i]);
            }
            Arrays.fill(lengths, 0.0);
            pathLengthsAt(data, start, count, cols, lengths);
            for (int i = 0; i < count; i++) {
                out[start + i] = new Attribution(provenance.featureNames(), phi[i], baseline, lengths[i],
                        scoreOfPathLength(lengths[i]));
            }
        }
    }

    TreeShap.Workspace workspace() { return shap.workspace(maxNodes); }

    Attribution explain(double[] data, int offset, TreeShap.Workspace workspace) {
        int cols = provenance.featureNames().size();
        double[] phi = new double[cols];
        double scale = 1.0 / trees.length;
        for (IsolationTree tree : trees) shap.accumulate(tree, data, offset, scale, workspace, phi);
        double[] length = new double[1];
        pathLengthsAt(data, offset / cols, 1, cols, length);
        return new Attribution(provenance.featureNames(), phi, baseline, length[0], scoreOfPathLength(length[0]));
    }

    /** The attribution of one tree only (tests compare it with Algorithm 2 and brute force). */
    double[] explainTree(int t, double[] row) {
        double[] phi = new double[row.length];
        shap.accumulate(trees[t], row, 0, 1.0, shap.workspace(maxNodes), phi);
        return phi;
    }

    private void checkRow(double[] row) {
        int cols = provenance.featureNames().size();
        if (row.length != cols) throw new IllegalArgumentException("row has " + row.length + " values, model expects " + cols);
        for (int i = 0; i < cols; i++) {
            if (!Double.isFinite(row[i])) {
                throw new IllegalArgumentException("feature " + provenance.featureNames().get(i) + " is not a finite number: " + row[i]);
            }
        }
    }

    private void checkColumns(FeatureMatrix rows) {
        if (!rows.featureNames().equals(provenance.featureNames())) {
            throw new IllegalArgumentException("features " + rows.featureNames() + " do not match the model's " + provenance.featureNames());
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // Serialisation: versioned binary, big-endian (DataOutput), CRC-32 of everything before it at the end.
    //   magic "LDIFOREST", int format version
    //   string algorithm; int trees, int subsample, long seed, int effective subsample, int max depth
    //   int training rows, string data window, int features, per feature: string name, double reference value
    //   per tree: int node count, per node in preorder: int feature (-1 leaf), int cover,
    //             then double threshold (internal) or double path length value (leaf)
    //   int CRC-32
    // Strings are an int byte length followed by UTF-8 bytes.
    // ---------------------------------------------------------------------------------------------------------

    /** Writes the model in the versioned binary format; the same model always gives the same bytes. */
    public void writeTo(OutputStream out) throws IOException {
        CRC32 crc = new CRC32();
        DataOutputStream data = new DataOutputStream(new CheckedOutputStream(new BufferedOutputStream(out), crc));
        data.write(MAGIC);
        data.writeInt(FORMAT_VERSION);
        writeString(data, provenance.algorithm());
        IsolationForestParams p = provenance.params();
        data.writeInt(p.trees());
        data.writeInt(p.subsampleSize());
        data.writeLong(p.seed());
        data.writeInt(provenance.effectiveSubsample());
        data.writeInt(provenance.maxDepth());
        data.writeInt(provenance.trainingRows());
        writeString(data, provenance.dataWindow());
        data.writeInt(provenance.featureNames().size());
        for (int i = 0; i < referenceValues.length; i++) {
            writeString(data, provenance.featureNames().get(i));
            data.writeDouble(referenceValues[i]);
        }
        for (IsolationTree tree : trees) {
            data.writeInt(tree.size());
            for (int i = 0; i < tree.size(); i++) {
                data.writeInt(tree.feature[i]);
                data.writeInt(tree.cover[i]);
                data.writeDouble(tree.feature[i] >= 0 ? tree.threshold[i] : tree.value[i]);
            }
        }
        data.flush();
        new DataOutputStream(out).writeInt((int) crc.getValue());
        out.flush();
    }

    public byte[] toBytes() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            writeTo(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    public void save(Path file) throws IOException {
        try (OutputStream out = Files.newOutputStream(file)) {
            writeTo(out);
        }
    }

    public static IsolationForest load(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return readFrom(in);
        }
    }

    /** Reads a model written by {@link #writeTo}; a wrong magic, version or checksum is an {@link IOException}. */
    public static IsolationForest readFrom(InputStream in) throws IOException {
        CRC32 crc = new CRC32();
        BufferedInputStream buffered = new BufferedInputStream(in);
        DataInputStream data = new DataInputStream(new CheckedInputStream(buffered, crc));
        try {
            byte[] magic = new byte[MAGIC.length];
            data.readFully(magic);
            if (!java.util.Arrays.equals(magic, MAGIC)) throw new IOException("not an isolation forest model file");
            int version = data.readInt();
            if (version != FORMAT_VERSION) {
                throw new IOException("unsupported isolation forest format version " + version + " (this build reads " + FORMAT_VERSION + ")");
            }
            String algorithm = readString(data);
            IsolationForestParams params = new IsolationForestParams(data.readInt(), data.readInt(), data.readLong());
            int psi = data.readInt(), maxDepth = data.readInt(), trainingRows = data.readInt();
            String window = readString(data);
            int cols = data.readInt();
            if (cols < 1 || cols > 1_000_000) throw new IOException("corrupt model: " + cols + " features");
            List<String> names = new ArrayList<>(cols);
            double[] reference = new double[cols];
            for (int i = 0; i < cols; i++) {
                names.add(readString(data));
                reference[i] = data.readDouble();
            }
            IsolationTree[] trees = new IsolationTree[params.trees()];
            for (int t = 0; t < trees.length; t++) {
                int size = data.readInt();
                if (size < 1 || size > 2 * psi) throw new IOException("corrupt model: tree " + t + " has " + size + " nodes");
                int[] feature = new int[size], cover = new int[size];
                double[] threshold = new double[size], value = new double[size];
                for (int i = 0; i < size; i++) {
                    feature[i] = data.readInt();
                    cover[i] = data.readInt();
                    double v = data.readDouble();
                    if (feature[i] >= 0) threshold[i] = v;
                    else value[i] = v;
                }
                trees[t] = new IsolationTree(feature, threshold, cover, value);
            }
            long expected = crc.getValue();
            int stored = new DataInputStream(buffered).readInt();
            if ((int) expected != stored) throw new IOException("corrupt model: checksum mismatch");
            ModelProvenance provenance = new ModelProvenance(version, algorithm, params, psi, maxDepth, names, window, trainingRows);
            return new IsolationForest(provenance, trees, reference);
        } catch (EOFException e) {
            throw new IOException("truncated isolation forest model", e);
        } catch (IllegalArgumentException e) {
            throw new IOException("corrupt model: " + e.getMessage(), e);
        }
    }

    private static void writeString(DataOutputStream out, String s) throws IOException {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    private static String readString(DataInputStream in) throws IOException {
        int length = in.readInt();
        if (length < 0 || length > (1 << 24)) throw new IOException("corrupt model: string of " + length + " bytes");
        byte[] bytes = new byte[length];
        in.readFully(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
