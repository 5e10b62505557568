package io.leakdetector.app.ml;

import io.leakdetector.core.ml.FeatureMatrix;
import io.leakdetector.core.ml.Psi;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The drift reference a model is registered with and the histograms a scoring run records over it: decile bin edges
 * and counts of the score and of every feature (core's {@link Psi}), as JSON-ready maps.
 */
final class Drift {
    static final int BINS = 10;

    private Drift() {}

    /** {@code {"score": {"edges", "counts"}, "features": {name: {"edges", "counts"}}, "medians": [...]}} */
    static Map<String, Object> reference(double[] scores, FeatureMatrix rows) {
        Map<String, Object> ref = new LinkedHashMap<>();
        ref.put("score", column(scores));
        Map<String, Object> features = new LinkedHashMap<>();
        for (int c = 0; c < rows.cols(); c++) features.put(rows.featureNames().get(c), column(values(rows, c)));
        ref.put("features", features);
        List<Double> medians = new ArrayList<>();
        for (double m : rows.medians()) medians.add(m);
        ref.put("medians", medians);
        return ref;
    }

    private static Map<String, Object> column(double[] values) {
        double[] edges = Psi.edges(values, BINS);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("edges", doubles(edges));
        m.put("counts", longs(Psi.histogram(values, edges)));
        return m;
    }

    static double[] values(FeatureMatrix rows, int col) {
        double[] v = new double[rows.rows()];
        for (int r = 0; r < v.length; r++) v[r] = rows.get(r, col);
        return v;
    }

    /** The counts of {@code values} over the reference column's edges. */
    static long[] histogram(Map<String, Object> referenceColumn, double[] values) {
        return Psi.histogram(values, edges(referenceColumn));
    }

    /** PSI of two stored histograms; NaN when either is missing or they are over different bins. */
    static double psi(Object expected, Object actual) {
        if (expected == null || actual == null) return Double.NaN;
        long[] e = counts(expected), a = counts(actual);
        return e.length == a.length ? Psi.of(e, a) : Double.NaN;
    }

    @SuppressWarnings("unchecked")
    static double[] edges(Map<String, Object> column) {
        List<Object> e = (List<Object>) column.get("edges");
        double[] out = new double[e.size()];
        for (int i = 0; i < out.length; i++) out[i] = ((Number) e.get(i)).doubleValue();
        return out;
    }

    @SuppressWarnings("unchecked")
    static long[] counts(Object counts) {
        List<Object> c = (List<Object>) counts;
        long[] out = new long[c.size()];
        for (int i = 0; i < out.length; i++) out[i] = ((Number) c.get(i)).longValue();
        return out;
    }

    static List<Double> doubles(double[] a) {
        List<Double> l = new ArrayList<>(a.length);
        for (double d : a) l.add(d);
        return l;
    }

    static List<Long> longs(long[] a) {
        List<Long> l = new ArrayList<>(a.length);
        for (long d : a) l.add(d);
        return l;
    }
}
