package io.leakdetector.core.ml.xgboost;

import io.leakdetector.core.ml.FeatureMatrix;
import io.leakdetector.core.ml.SupervisedLearner;
import io.leakdetector.core.ml.SupervisedModel;
import io.leakdetector.core.ml.SupervisedParams;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;
import ml.dmlc.xgboost4j.java.XGBoostError;

/**
 * Gradient-boosted trees with XGBoost4J: binary log-loss, exact tree method (the labelled sets are small), one
 * thread so that the same data and seed give the same trees on every machine. The only class in core that names
 * the library, with {@link XgboostModel}.
 */
public final class XgboostLearner implements SupervisedLearner {
    @Override
    public SupervisedModel fit(FeatureMatrix rows, boolean[] labels, SupervisedParams params) {
        if (labels.length != rows.rows()) throw new IllegalArgumentException(labels.length + " labels for " + rows.rows() + " rows");
        int positives = 0;
        for (boolean l : labels) if (l) positives++;
        if (positives == 0 || positives == labels.length) {
            throw new IllegalArgumentException("training needs both confirmed and dismissed labels (" + positives + " of "
                    + labels.length + " confirmed)");
        }
        float[] y = new float[labels.length];
        for (int i = 0; i < y.length; i++) y[i] = labels[i] ? 1f : 0f;
        Map<String, Object> p = new HashMap<>();
        p.put("objective", "binary:logistic");
        p.put("eval_metric", "logloss");
        p.put("tree_method", "exact");
        p.put("max_depth", params.maxDepth());
        p.put("eta", params.eta());
        p.put("subsample", params.subsample());
        p.put("min_child_weight", params.minChildWeight());
        p.put("lambda", params.lambda());
        p.put("seed", params.seed());
        p.put("nthread", 1);
        p.put("verbosity", 0);
        try {
            DMatrix train = XgboostModel.matrix(rows);
            try {
                train.setLabel(y);
                Booster booster = XGBoost.train(train, p, params.rounds(), Map.of(), null, null);
                return XgboostModel.of(rows.featureNames(), booster, rows);
            } finally {
                train.dispose();
            }
        } catch (XGBoostError e) {
            throw new IllegalStateException("XGBoost training failed: " + e.getMessage(), e);
        }
    }

    @Override
    public SupervisedModel load(List<String> featureNames, byte[] bytes) {
        try {
            return XgboostModel.of(featureNames, XGBoost.loadModel(bytes), null);
        } catch (XGBoostError | IOException e) {
            throw new IllegalArgumentException("not an XGBoost model: " + e.getMessage(), e);
        }
    }
}
