package io.leakdetector.core.ml;

/**
 * Path-dependent TreeSHAP exactly as Algorithm 2 of Lundberg, Erion and Lee (2018), "Consistent Individualized
 * Feature Attribution for Tree Ensembles": EXTEND / UNWIND over the unique path, O(leaves * depth^2). The
 * reference the production {@link TreeShap} is checked against.
 */
final class Algorithm2TreeShap {
    private final IsolationTree tree;
    private final double[] x;
    private final double[] phi;
    // One slice of unique-path elements per recursion depth (the C++ reference does the same).
    private final int[] d;
    private final double[] z;
    private final double[] o;
    private final double[] w;
    private final int stride;

    private Algorithm2TreeShap(IsolationTree tree, double[] x) {
        this.tree = tree;
        this.x = x;
        this.phi = new double[x.length];
        this.stride = tree.depth + 2;
        int size = (tree.depth + 2) * stride;
        d = new int[size];
        z = new double[size];
        o = new double[size];
        w = new double[size];
    }

    static double[] shap(IsolationTree tree, double[] x) {
        Algorithm2TreeShap s = new Algorithm2TreeShap(tree, x);
        s.recurse(0, 0, 0, 1, 1, -1);
        return s.phi;
    }

    /** @param level recursion depth (selects the slice), {@code uniqueDepth} elements already on the path. */
    private void recurse(int node, int level, int uniqueDepth, double pz, double po, int pi) {
        int path = level * stride;
        if (level > 0) System.arraycopy(d, (level - 1) * stride, d, path, uniqueDepth + 1);
        if (level > 0) System.arraycopy(z, (level - 1) * stride, z, path, uniqueDepth + 1);
        if (level > 0) System.arraycopy(o, (level - 1) * stride, o, path, uniqueDepth + 1);
        if (level > 0) System.arraycopy(w, (level - 1) * stride, w, path, uniqueDepth + 1);
        extend(path, uniqueDepth, pz, po, pi);
        if (tree.feature[node] < 0) {
            for (int i = 1; i <= uniqueDepth; i++) {
                double sum = unwoundSum(path, uniqueDepth, i);
                phi[d[path + i]] += sum * (o[path + i] - z[path + i]) * tree.value[node];
            }
            return;
        }
        int feat = tree.feature[node];
        int left = node + 1, right = tree.right[node];
        int hot = x[feat] <= tree.threshold[node] ? left : right;
        int cold = hot == left ? right : left;
        double hotZ = tree.cover[hot] / (double) tree.cover[node];
        double coldZ = tree.cover[cold] / (double) tree.cover[node];
        double inZ = 1, inO = 1;
        int k = 0;
        for (; k <= uniqueDepth; k++) if (d[path + k] == feat) break;
        if (k <= uniqueDepth) {
            inZ = z[path + k];
            inO = o[path + k];
            unwind(path, uniqueDepth, k);
            uniqueDepth--;
        }
        recurse(hot, level + 1, uniqueDepth + 1, hotZ * inZ, inO, feat);
        recurse(cold, level + 1, uniqueDepth + 1, coldZ * inZ, 0, feat);
    }

    private void extend(int path, int u, double pz, double po, int pi) {
        d[path + u] = pi;
        z[path + u] = pz;
        o[path + u] = po;
        w[path + u] = u == 0 ? 1 : 0;
        for (int i = u - 1; i >= 0; i--) {
            w[path + i + 1] += po * w[path + i] * (i + 1) / (double) (u + 1);
            w[path + i] = pz * w[path + i] * (u - i) / (double) (u + 1);
        }
    }

    private void unwind(int path, int u, int index) {
        double po = o[path + index], pz = z[path + index];
        double next = w[path + u];
        for (int i = u - 1; i >= 0; i--) {
            if (po != 0) {
                double tmp = w[path + i];
                w[path + i] = next * (u + 1) / ((i + 1) * po);
                next = tmp - w[path + i] * pz * (u - i) / (double) (u + 1);
            } else {
                w[path + i] = w[path + i] * (u + 1) / (pz * (u - i));
            }
        }
        for (int i = index; i < u; i++) {
            d[path + i] = d[path + i + 1];
            z[path + i] = z[path + i + 1];
            o[path + i] = o[path + i + 1];
        }
    }

    private double unwoundSum(int path, int u, int index) {
        double po = o[path + index], pz = z[path + index];
        double next = w[path + u];
        double total = 0;
        for (int i = u - 1; i >= 0; i--) {
            if (po != 0) {
                double tmp = next * (u + 1) / ((i + 1) * po);
                total += tmp;
                next = w[path + i] - tmp * pz * ((u - i) / (double) (u + 1));
            } else {
                total += (w[path + i] / pz) / ((u - i) / (double) (u + 1));
            }
        }
        return total;
    }
}
