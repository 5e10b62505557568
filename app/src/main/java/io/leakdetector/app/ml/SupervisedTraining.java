package io.leakdetector.app.ml;

import io.leakdetector.app.detect.FindingRepository;
import io.leakdetector.app.detect.StoreDetection;
import io.leakdetector.app.detect.StoredCustomer;
import io.leakdetector.core.detect.DetectionEngine;
import io.leakdetector.core.detect.RiskAssessment;
import io.leakdetector.core.detect.ScoredFinding;
import io.leakdetector.core.finding.Category;
import io.leakdetector.core.finding.Finding;
import io.leakdetector.core.ml.AnomalyScan;
import io.leakdetector.core.ml.Explanation;
import io.leakdetector.core.ml.FeatureDescriber;
import io.leakdetector.core.ml.FeatureMatrix;
import io.leakdetector.core.ml.FindingFeatures;
import io.leakdetector.core.ml.IsolationForestParams;
import io.leakdetector.core.ml.LayeredScore;
import io.leakdetector.core.ml.Psi;
import io.leakdetector.core.ml.RocAuc;
import io.leakdetector.core.ml.SupervisedLearner;
import io.leakdetector.core.ml.SupervisedModel;
import io.leakdetector.core.ml.SupervisedParams;
import io.leakdetector.core.ml.features.BillingData;
import io.leakdetector.core.ml.xgboost.XgboostLearner;
import io.leakdetector.core.scan.LoadedData;
import io.leakdetector.core.scan.Scanner;
import io.leakdetector.core.util.Json;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Trains the supervised re-ranker from analysts' labels and scores the stored findings with the active model: the
 * store's billing records become core's {@link BillingData}, every finding a {@link FindingFeatures} row; training
 * registers a new active version with its metrics, importance and drift reference; scoring writes each finding's
 * probability, final layered score and explanation in words, and one scoring-statistics row with the PSI against the
 * reference.
 */
@Service
public class SupervisedTraining {
    /** Not enough labels (or one class only) to train: the job ends as skipped, not failed. */
    public static final class NotEnoughLabels extends RuntimeException {
        NotEnoughLabels(String message) { super(message, null, false, false); }
    }

    /** What a scoring run recorded. */
    public record Scored(long modelId, int rows, double scorePsi, double maxFeaturePsi, String maxPsiFeature) {}

    private final JdbcClient jdbc;
    private final FindingRepository findings;
    private final StoredCustomer stored;
    private final ModelRegistry registry;
    private final TransactionTemplate tx;
    private final MlProperties props;
    private final SupervisedLearner learner = new XgboostLearner();
    /** The rule detectors the store's batch detection runs ({@code StoreDetection}: the standard engine). */
    private final DetectionEngine engine = DetectionEngine.standard();
    private final Clock clock;
    private volatile CachedModel cached;

    private record CachedModel(long id, SupervisedModel model) {}

    SupervisedTraining(JdbcClient jdbc, FindingRepository findings, StoredCustomer stored, ModelRegistry registry,
                       TransactionTemplate tx, MlProperties props) {
        this.jdbc = jdbc;
        this.findings = findings;
        this.stored = stored;
        this.registry = registry;
        this.tx = tx;
        this.props = props;
        this.clock = Clock.systemUTC();
    }

    /** Confirmed and dismissed label counts, and how many labels are newer than {@code since} (all when null). */
    public record LabelCounts(long confirmed, long dismissed, long since) {
        public long total() { return confirmed + dismissed; }
    }

    public LabelCounts labelCounts(Instant since) {
        long confirmed = jdbc.sql("SELECT COUNT(*) FROM finding_labels WHERE label = 'confirmed'").query(Long.class).single();
        long dismissed = jdbc.sql("SELECT COUNT(*) FROM finding_labels WHERE label = 'dismissed'").query(Long.class).single();
        long newer = since == null ? confirmed + dismissed
                : jdbc.sql("SELECT COUNT(*) FROM finding_labels WHERE labeled_at > ?").param(FindingRepository.odt(since)).query(Long.class).single();
        return new LabelCounts(confirmed, dismissed, newer);
    }

    /** Trains a new version from the labels, registers it as active and rescores every finding. */
    public ModelRegistry.Version train(String reason) {
        LabelCounts counts = labelCounts(null);
        if (counts.total() < props.minLabels() || counts.confirmed() == 0 || counts.dismissed() == 0) {
            throw new NotEnoughLabels("need at least " + props.minLabels() + " labelled findings with both confirmed and dismissed; have "
                    + counts.confirmed() + " confirmed, " + counts.dismissed() + " dismissed");
        }
        Instant now = clock.instant();
        Population pop = population();
        Map<String, Boolean> labels = new HashMap<>();
        jdbc.sql("SELECT finding_id, label FROM finding_labels").query((rs, n) -> labels.put(rs.getString(1), "confirmed".equals(rs.getString(2)))).list();
        List<Integer> idx = new ArrayList<>();
        for (int i = 0; i < pop.findings.size(); i++) if (labels.containsKey(pop.findings.get(i).id())) idx.add(i);
        int[] rows = idx.stream().mapToInt(Integer::intValue).toArray();
        boolean[] y = new boolean[rows.length];
        int positives = 0;
        Instant from = null, to = null;
        for (int i = 0; i < rows.length; i++) {
            Finding f = pop.findings.get(rows[i]);
            y[i] = labels.get(f.id());
            if (y[i]) positives++;
            if (from == null || f.detectedAt().isBefore(from)) from = f.detectedAt();
            if (to == null || f.detectedAt().isAfter(to)) to = f.detectedAt();
        }
        FeatureMatrix train = pop.features.select(rows);
        SupervisedParams params = SupervisedParams.DEFAULTS;
        SupervisedModel model = learner.fit(train, y, params);
        Map<String, Object> metrics = new LinkedHashMap<>();
        metrics.put("training_rows", rows.length);
        metrics.put("confirmed", positives);
        metrics.put("dismissed", rows.length - positives);
        double[] fitted = model.scoreAll(train);
        metrics.put("training_roc_auc", RocAuc.of(fitted, y));
        metrics.put("cv_roc_auc", crossValidatedAuc(train, y, params));
        metrics.put("scored_findings", pop.findings.size());
        double[] all = model.scoreAll(pop.features);
        ModelRegistry.Version v = registry.register(new ModelRegistry.NewModel(ModelRegistry.SUPERVISED, model.algorithm(), now,
                from, to, rows.length, positives, reason, pop.features.featureNames(), params.describe(), metrics,
                model.featureImportance(), Drift.reference(all, pop.features), model.toBytes()));
        cached = new CachedModel(v.id(), model);
        score(pop, v, model, all);
        return v;
    }

    /** Three-fold cross-validated ROC-AUC of the labels (NaN when a fold would lack a class). */
    private double crossValidatedAuc(FeatureMatrix x, boolean[] y, SupervisedParams params) {
        int n = y.length, folds = 3;
        double[] out = new double[n];
        for (int k = 0; k < folds; k++) {
            List<Integer> tr = new ArrayList<>(), te = new ArrayList<>();
            for (int i = 0; i < n; i++) (i % folds == k ? te : tr).add(i);
            int[] tri = tr.stream().mapToInt(Integer::intValue).toArray(), tei = te.stream().mapToInt(Integer::intValue).toArray();
            boolean[] ty = new boolean[tri.length];
            int pos = 0;
            for (int i = 0; i < tri.length; i++) if (ty[i] = y[tri[i]]) pos++;
            if (pos == 0 || pos == tri.length) return Double.NaN;
            double[] s = learner.fit(x.select(tri), ty, params).scoreAll(x.select(tei));
            for (int i = 0; i < tei.length; i++) out[tei[i]] = s[i];
        }
        boolean both = false;
        for (boolean b : y) if (b != y[0]) both = true;
        return both ? RocAuc.of(out, y) : Double.NaN;
    }

    /** Rescores every finding with the active model; empty when no model is active. */
    public Optional<Scored> scoreWithActive() {
        Optional<ModelRegistry.Version> v = registry.active(ModelRegistry.SUPERVISED);
        if (v.isEmpty()) return Optional.empty();
        SupervisedModel model = model(v.get());
        Population pop = population();
        if (!pop.features.featureNames().equals(v.get().features())) {
            throw new IllegalStateException("the active model's features differ from this version's; retrain it");
        }
        return Optional.of(score(pop, v.get(), model, model.scoreAll(pop.features)));
    }

    /** The active model, loaded from its bytes once per version. */
    SupervisedModel model(ModelRegistry.Version v) {
        CachedModel c = cached;
        if (c != null && c.id == v.id()) return c.model;
        SupervisedModel m = learner.load(v.features(), registry.bytes(v.id()));
        cached = new CachedModel(v.id(), m);
        return m;
    }

    @SuppressWarnings("unchecked")
    private Scored score(Population pop, ModelRegistry.Version v, SupervisedModel model, double[] p) {
        Instant now = clock.instant();
        LayeredScore layers = new LayeredScore(props.supervisedWeight());
        List<FeatureDescriber> describers = FindingFeatures.describers();
        double[] medians = new double[pop.features.cols()];
        List<Object> m = (List<Object>) v.reference().get("medians");
        for (int i = 0; i < medians.length && m != null && i < m.size(); i++) medians[i] = m.get(i) == null ? 0 : ((Number) m.get(i)).doubleValue();
        Map<String, Object> ref = v.reference();
        Map<String, Object> refFeatures = (Map<String, Object>) ref.get("features");
        long[] scoreHist = Drift.histogram((Map<String, Object>) ref.get("score"), p);
        double scorePsi = Psi.of(Drift.counts(((Map<String, Object>) ref.get("score")).get("counts")), scoreHist);
        Map<String, Object> featureHists = new LinkedHashMap<>();
        double maxPsi = Double.NaN;
        String maxFeature = null;
        for (int c = 0; c < pop.features.cols(); c++) {
            String name = pop.features.featureNames().get(c);
            Map<String, Object> col = (Map<String, Object>) refFeatures.get(name);
            if (col == null) continue;
            long[] h = Drift.histogram(col, Drift.values(pop.features, c));
            featureHists.put(name, Drift.longs(h));
            double psi = Psi.of(Drift.counts(col.get("counts")), h);
            if (!Double.isNaN(psi) && (Double.isNaN(maxPsi) || psi > maxPsi)) {
                maxPsi = psi;
                maxFeature = name;
            }
        }
        double[] sorted = p.clone();
        Arrays.sort(sorted);
        double mean = Arrays.stream(p).average().orElse(Double.NaN);
        final double fScorePsi = scorePsi, fMaxPsi = maxPsi;
        final String fMaxFeature = maxFeature;
        tx.executeWithoutResult(s -> {
            jdbc.sql("DELETE FROM ml_finding_scores").update();
            for (int i = 0; i < pop.findings.size(); i++) {
                Finding f = pop.findings.get(i);
                double[] row = pop.features.row(i);
                String words = Explanation.of(model.explain(row), row, medians, describers, 3).text();
                jdbc.sql("INSERT INTO ml_finding_scores (finding_id, model_id, probability, final_score, explanation, scored_at) VALUES (?, ?, ?, ?, ?, ?)")
                        .params(f.id(), v.id(), p[i], layers.combine(pop.rule[i], pop.anomaly[i], p[i]), words, FindingRepository.odt(now)).update();
            }
            jdbc.sql("INSERT INTO ml_scoring_stats (model_id, scored_at, rows_scored, score_mean, score_p50, score_p90, score_psi, "
                            + "max_feature_psi, max_psi_feature, score_histogram, feature_histograms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
                    .params(v.id(), FindingRepository.odt(now), p.length, nan(mean), nan(quantile(sorted, 0.5)), nan(quantile(sorted, 0.9)),
                            nan(fScorePsi), nan(fMaxPsi), fMaxFeature, Json.write(Drift.longs(scoreHist)), Json.write(featureHists))
                    .update();
        });
        return new Scored(v.id(), p.length, scorePsi, maxPsi, maxFeature);
    }

    private static Double nan(double d) {
        return Double.isNaN(d) ? null : d;
    }

    private static double quantile(double[] sorted, double q) {
        if (sorted.length == 0) return Double.NaN;
        return sorted[(int) Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
    }

    /** Every stored finding with its feature row and its unsupervised layer scores. */
    record Population(List<Finding> findings, FeatureMatrix features, double[] rule, double[] anomaly) {}

    Population population() {
        List<Finding> all = findings.query("", " ORDER BY id", List.of());
        LoadedData loaded = loadedData();
        BillingData data = BillingData.of(loaded);
        Map<String, RiskAssessment> risk = riskOfRuleFindings(loaded, all);
        Map<String, Double> anomaly = new HashMap<>();
        if (!data.invoices().isEmpty()) {
            AnomalyScan.Result scan = AnomalyScan.scan(data, 0, IsolationForestParams.defaults(), clock.instant());
            for (int r = 0; r < scan.scores().length; r++) anomaly.put(scan.features().subjects().get(r), scan.scores()[r]);
        }
        List<FindingFeatures.Candidate> candidates = new ArrayList<>();
        double[] rule = new double[all.size()], an = new double[all.size()];
        for (int i = 0; i < all.size(); i++) {
            Finding f = all.get(i);
            boolean isAnomaly = f.category() == Category.ANOMALY;
            rule[i] = isAnomaly ? 0 : f.score();
            an[i] = isAnomaly ? f.score() : anomaly.getOrDefault(f.subject(), Double.NaN);
            candidates.add(new FindingFeatures.Candidate(f, isAnomaly ? null : risk.get(f.id()), an[i]));
        }
        return new Population(all, FindingFeatures.of(candidates, data), rule, an);
    }

    /**
     * The risk assessment (the rule signals: certainty, margin, persistence, amount at stake, customer history) behind
     * each stored rule finding, by finding id. The store keeps a finding's score but not the factors it came from, so
     * the rule detectors run again over the store's data as of the latest rule detection ({@code detected_at} is the
     * as-of time of the run that found it) — the same engine and data as the batch scan whose findings {@code ml-eval}
     * learns from, so training and scoring on the server see the same {@code risk_*} features. A finding that run
     * no longer produces (e.g. detected on older data, or by the real-time path as of an earlier event) keeps
     * {@code has_risk_signals = 0}.
     */
    Map<String, RiskAssessment> riskOfRuleFindings(LoadedData loaded, List<Finding> stored) {
        Instant asOf = null;
        for (Finding f : stored) {
            if (f.category() != Category.ANOMALY && (asOf == null || f.detectedAt().isAfter(asOf))) asOf = f.detectedAt();
        }
        Map<String, RiskAssessment> out = new HashMap<>();
        if (asOf == null || loaded.customers().isEmpty()) return out;
        int threads = Math.max(1, Runtime.getRuntime().availableProcessors());
        for (ScoredFinding s : new Scanner(engine, threads, null).scan(loaded, asOf, null).findings()) {
            if (s.risk() != null) out.put(s.finding().id(), s.risk());
        }
        return out;
    }

    /** The store's billing records as core's in-memory data set (one customer's records at a time), in source order. */
    private LoadedData loadedData() {
        StoredCustomer.Gathered gathered = new StoredCustomer.Gathered();
        List<String> ids = jdbc.sql("SELECT customer_id FROM customers ORDER BY customer_id").query(String.class).list();
        stored.forEachInRanges(ids, StoreDetection.CUSTOMERS_PER_READ, (id, r) -> gathered.add(r));
        return gathered.data(stored.prices(), null);
    }
}
