package io.leakdetector.core.ml.xgboost;

import io.leakdetector.core.ml.Attribution;
import io.leakdetector.core.ml.FeatureMatrix;
import io.leakdetector.core.ml.SupervisedModel;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoostError;

/**
 * A trained XGBoost booster as a {@link SupervisedModel}. Explanations come from {@code Booster.predictContrib}: exact
 * TreeSHAP on the log-odds, whose values plus the bias column add up to the margin. Calls into the booster are
 * serialised (the native handle is shared).
 */
final class XgboostModel implements SupervisedModel {
    private final List<String> featureNames;
    private final Booster booster;
    private final List<Double> importance;

    private XgboostModel(List<String> featureNames, Booster booster, List<Double> importance) {
        this.featureNames = List.copyOf(featureNames);
        this.booster = booster;
        this.importance = importance;
    }

    /** Wraps a booster; with {@code training} rows the importance is their mean absolute contribution. */
    static XgboostModel of(List<String> featureNames, Booster booster, FeatureMatrix training) throws XGBoostError {
        XgboostModel m = new XgboostModel(featureNames, booster, List.of());
        if (training == null || training.rows() == 0) return m;
        float[][] contrib = m.contributions(training);
        double[] sum = new double[featureNames.size()];
        for (float[] row : contrib) for (int j = 0; j < sum.length; j++) sum[j] += Math.abs(row[j]);
        List<Double> imp = new ArrayList<>();
        for (double s : sum) imp.add(s / contrib.length);
        return new XgboostModel(featureNames, booster, Collections.unmodifiableList(imp));
    }

    static DMatrix matrix(FeatureMatrix rows) throws XGBoostError {
        float[] data = new float[rows.rows() * rows.cols()];
        for (int r = 0, k = 0; r < rows.rows(); r++) for (int c = 0; c < rows.cols(); c++) data[k++] = (float) rows.get(r, c);
        return new DMatrix(data, rows.rows(), rows.cols(), Float.NaN);
    }

    private DMatrix single(double[] row) throws XGBoostError {
        if (row.length != featureNames.size()) {
            throw new IllegalArgumentException("row has " + row.length + " values, the model " + featureNames.size() + " features");
        }
        float[] data = new float[row.length];
        for (int i = 0; i < row.length; i++) data[i] = (float) row[i];
        return new DMatrix(data, 1, row.length, Float.NaN);
    }

    private synchronized float[][] contributions(FeatureMatrix rows) throws XGBoostError {
        DMatrix m = matrix(rows);
        try {
            return booster.predictContrib(m, 0);
        } finally {
            m.dispose();
        }
    }

    @Override
    public String algorithm() { return "xgboost"; }

    @Override
    public List<String> featureNames() { return featureNames; }

    @Override
    public synchronized double score(double[] row) {
        try {
            DMatrix m = single(row);
            try {
                return booster.predict(m)[0][0];
            } finally {
                m.dispose();
            }
        } catch (XGBoostError e) {
            throw new IllegalStateException("XGBoost prediction failed: " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized double margin(double[] row) {
        try {
            DMatrix m = single(row);
            try {
                return booster.predict(m, true)[0][0];
            } finally {
                m.dispose();
            }
        } catch (XGBoostError e) {
            throw new IllegalStateException("XGBoost prediction failed: " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized double[] scoreAll(FeatureMatrix rows) {
        if (rows.rows() == 0) return new double[0];
        try {
            DMatrix m = matrix(rows);
            try {
                float[][] p = booster.predict(m);
                double[] out = new double[p.length];
                for (int i = 0; i < p.length; i++) out[i] = p[i][0];
                return out;
            } finally {
                m.dispose();
            }
        } catch (XGBoostError e) {
            throw new IllegalStateException("XGBoost prediction failed: " + e.getMessage(), e);
        }
    }

    @Override
    public Attribution explain(double[] row) {
        try {
            float[] c = contributions(FeatureMatrix.ofRows(featureNames, new double[][] {row}))[0];
            int m = featureNames.size();
            double[] flipped = new double[m];
            double margin = c[m];
            for (int j = 0; j < m; j++) {
                flipped[j] = -c[j];
                margin += c[j];
            }
            double probability = 1 / (1 + Math.exp(-margin));
            return new Attribution(featureNames, flipped, -c[m], -margin, probability);
        } catch (XGBoostError e) {
            throw new IllegalStateException("XGBoost explanation failed: " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized byte[] toBytes() {
        try {
            return booster.toByteArray("ubj");
        } catch (XGBoostError e) {
            throw new IllegalStateException("XGBoost serialisation failed: " + e.getMessage(), e);
        }
    }

    @Override
    public List<Double> featureImportance() { return importance; }
}
