package io.leakdetector.core.ml;

import io.leakdetector.core.detect.ScoredFinding;
import io.leakdetector.core.finding.Category;
import io.leakdetector.core.finding.Finding;
import io.leakdetector.core.ml.features.BillingData;
import io.leakdetector.core.ml.features.BillingFeatures;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * Does learning from analysts' labels re-rank better than the unsupervised layers? On a data set with a known truth:
 * the candidates are the rule findings plus the {@code anomalyCandidates} invoices the Isolation Forest finds most
 * unusual that no rule names; a random {@code labelShare} of them is "labelled by an analyst" from the truth
 * (subject in the truth → confirmed, otherwise dismissed), the supervised model is trained on those, and both
 * rankings of the <b>unlabelled rest</b> — unsupervised ({@link LayeredScore#unsupervised}) and final
 * ({@link LayeredScore#combine}) — are scored: precision of the top 10 %, ROC-AUC, and the same on the ANOMALY
 * candidates alone (where the rules say nothing).
 */
public final class SupervisedEvaluation {
    private SupervisedEvaluation() {}

    /** Precision of the top 10 % (ceil) and ROC-AUC of one ranking over one set of rows. */
    public record Ranking(double precisionTop10, double precisionAtR, double rocAuc) {}

    /** What one run measured. */
    public record Report(int candidates, int ruleFindings, int anomalyCandidates, int labelled, int labelledConfirmed,
                         int unlabelled, int unlabelledPositives, Ranking unsupervised, Ranking supervised,
                         int anomalyUnlabelled, int anomalyUnlabelledPositives, Ranking anomalyUnsupervised,
                         Ranking anomalySupervised, List<String> topFeatures) {
        public String toText() {
            StringBuilder b = new StringBuilder();
            b.append(String.format(Locale.ROOT, "candidates %d (rule findings %d, anomaly candidates %d); labelled %d (%d confirmed)%n",
                    candidates, ruleFindings, anomalyCandidates, labelled, labelledConfirmed));
            b.append(String.format(Locale.ROOT, "unlabelled rest: %d rows, %d real leaks%n", unlabelled, unlabelledPositives));
            b.append(String.format(Locale.ROOT, "  precision top 10 %%: unsupervised %.3f  supervised %.3f%n", unsupervised.precisionTop10, supervised.precisionTop10));
            b.append(String.format(Locale.ROOT, "  precision at R:     unsupervised %.3f  supervised %.3f%n", unsupervised.precisionAtR, supervised.precisionAtR));
            b.append(String.format(Locale.ROOT, "  ROC-AUC:            unsupervised %.3f  supervised %.3f%n", unsupervised.rocAuc, supervised.rocAuc));
            b.append(String.format(Locale.ROOT, "weak-signal queue (unlabelled ANOMALY candidates: invoices the forest flags, no rule names): %d rows, %d real%n",
                    anomalyUnlabelled, anomalyUnlabelledPositives));
            b.append(String.format(Locale.ROOT, "  precision top 10 %%: unsupervised %.3f  supervised %.3f%n", anomalyUnsupervised.precisionTop10, anomalySupervised.precisionTop10));
            b.append(String.format(Locale.ROOT, "  precision at R:     unsupervised %.3f  supervised %.3f%n", anomalyUnsupervised.precisionAtR, anomalySupervised.precisionAtR));
            b.append(String.format(Locale.ROOT, "  ROC-AUC:            unsupervised %.3f  supervised %.3f%n", anomalyUnsupervised.rocAuc, anomalySupervised.rocAuc));
            b.append("top features (mean |SHAP|): ").append(String.join(", ", topFeatures)).append('\n');
            return b.toString();
        }

        public String toJson() {
            return String.format(Locale.ROOT, "{\"candidates\": %d, \"rule_findings\": %d, \"anomaly_candidates\": %d, \"labelled\": %d, "
                            + "\"labelled_confirmed\": %d, \"unlabelled\": %d, \"unlabelled_positives\": %d, "
                            + "\"precision_top10_unsupervised\": %.6f, \"precision_top10_supervised\": %.6f, "
                            + "\"precision_at_r_unsupervised\": %.6f, \"precision_at_r_supervised\": %.6f, "
                            + "\"roc_auc_unsupervised\": %.6f, \"roc_auc_supervised\": %.6f, "
                            + "\"anomaly_unlabelled\": %d, \"anomaly_unlabelled_positives\": %d, "
                            + "\"anomaly_precision_top10_unsupervised\": %.6f, \"anomaly_precision_top10_supervised\": %.6f, "
                            + "\"anomaly_precision_at_r_unsupervised\": %.6f, \"anomaly_precision_at_r_supervised\": %.6f, "
                            + "\"anomaly_roc_auc_unsupervised\": %.6f, \"anomaly_roc_auc_supervised\": %.6f}",
                    candidates, ruleFindings, anomalyCandidates, labelled, labelledConfirmed, unlabelled, unlabelledPositives,
                    unsupervised.precisionTop10, supervised.precisionTop10, unsupervised.precisionAtR, supervised.precisionAtR,
                    unsupervised.rocAuc, supervised.rocAuc,
                    anomalyUnlabelled, anomalyUnlabelledPositives, anomalyUnsupervised.precisionTop10,
                    anomalySupervised.precisionTop10, anomalyUnsupervised.precisionAtR, anomalySupervised.precisionAtR,
                    anomalyUnsupervised.rocAuc, anomalySupervised.rocAuc);
        }
    }

    /** The candidates of a data set: the rule findings, then the most unusual invoices no rule names. */
    public static List<FindingFeatures.Candidate> candidates(BillingData data, List<ScoredFinding> rules, int anomalyCandidates,
                                                            Instant detectedAt) {
        return candidates(data, rules, anomalyCandidates, detectedAt, AnomalyScan.FEATURES);
    }

    /** As above with the candidates' forest fitted on {@code forestFeatures} (e.g. all 43 invoice features). */
    public static List<FindingFeatures.Candidate> candidates(BillingData data, List<ScoredFinding> rules, int anomalyCandidates,
                                                            Instant detectedAt, List<String> forestFeatures) {
        Set<String> ruleSubjects = new HashSet<>();
        for (ScoredFinding s : rules) ruleSubjects.add(s.finding().subject());
        AnomalyScan.Result scan = AnomalyScan.scan(data, anomalyCandidates + ruleSubjects.size(), IsolationForestParams.defaults(),
                detectedAt, forestFeatures);
        Map<String, Double> anomaly = new HashMap<>();
        for (int r = 0; r < scan.scores().length; r++) anomaly.put(scan.features().subjects().get(r), scan.scores()[r]);
        List<FindingFeatures.Candidate> out = new ArrayList<>();
        for (ScoredFinding s : rules) {
            out.add(new FindingFeatures.Candidate(s.finding(), s.risk(), anomaly.getOrDefault(s.finding().subject(), Double.NaN)));
        }
        int added = 0;
        for (Finding f : scan.findings()) {
            if (added == anomalyCandidates) break;
            if (ruleSubjects.contains(f.subject())) continue;
            out.add(new FindingFeatures.Candidate(f, null, f.score()));
            added++;
        }
        return out;
    }

    /** Runs the protocol of the class comment over {@code candidates}. */
    public static Report run(BillingData data, List<FindingFeatures.Candidate> candidates, Set<String> truthSubjects,
                             double labelShare, long seed, SupervisedLearner learner, SupervisedParams params,
                             LayeredScore layers) {
        FeatureMatrix x = FindingFeatures.of(candidates, data, BillingFeatures.invoices(data), BillingFeatures.customerMonths(data));
        int n = candidates.size();
        boolean[] truth = new boolean[n];
        boolean[] anomaly = new boolean[n];
        for (int i = 0; i < n; i++) {
            truth[i] = truthSubjects.contains(candidates.get(i).finding().subject());
            anomaly[i] = candidates.get(i).finding().category() == Category.ANOMALY;
        }
        // a seeded shuffle; the first labelShare of it is what the analysts labelled
        int[] order = IntStream.range(0, n).toArray();
        SplittableRandom rnd = new SplittableRandom(seed);
        for (int i = n - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            int t = order[i]; order[i] = order[j]; order[j] = t;
        }
        int labelledCount = (int) Math.round(labelShare * n);
        int[] labelled = java.util.Arrays.copyOf(order, labelledCount);
        int[] rest = java.util.Arrays.copyOfRange(order, labelledCount, n);
        boolean[] y = new boolean[labelled.length];
        int confirmed = 0;
        for (int i = 0; i < labelled.length; i++) if (y[i] = truth[labelled[i]]) confirmed++;
        SupervisedModel model = learner.fit(x.select(labelled), y, params);
        FeatureMatrix restX = x.select(rest);
        double[] p = model.scoreAll(restX);
        double[] u = new double[rest.length], fin = new double[rest.length];
        boolean[] restTruth = new boolean[rest.length];
        int positives = 0;
        for (int i = 0; i < rest.length; i++) {
            FindingFeatures.Candidate c = candidates.get(rest[i]);
            double rule = c.finding().category() == Category.ANOMALY ? 0 : c.finding().score();
            u[i] = LayeredScore.unsupervised(rule, c.anomalyScore());
            fin[i] = layers.combine(rule, c.anomalyScore(), p[i]);
            restTruth[i] = truth[rest[i]];
            if (restTruth[i]) positives++;
        }
        List<Integer> an = new ArrayList<>();
        for (int i = 0; i < rest.length; i++) if (anomaly[rest[i]]) an.add(i);
        int[] ai = an.stream().mapToInt(Integer::intValue).toArray();
        int anPositives = 0;
        for (int i : ai) if (restTruth[i]) anPositives++;

        List<Double> imp = model.featureImportance();
        List<String> top = IntStream.range(0, imp.size()).boxed()
                .sorted(Comparator.<Integer>comparingDouble(i -> -imp.get(i)).thenComparing(i -> i)).limit(5)
                .map(i -> String.format(Locale.ROOT, "%s %.3f", model.featureNames().get(i), imp.get(i))).toList();
        int ruleCount = 0;
        for (FindingFeatures.Candidate c : candidates) if (c.finding().category() != Category.ANOMALY) ruleCount++;
        return new Report(n, ruleCount, n - ruleCount, labelled.length, confirmed, rest.length, positives,
                ranking(u, restTruth, null), ranking(fin, restTruth, null), ai.length, anPositives,
                ranking(u, restTruth, ai), ranking(fin, restTruth, ai), top);
    }

    /** Precision of the top 10 % and ROC-AUC of {@code scores} over the rows {@code only} (all rows when null). */
    static Ranking ranking(double[] scores, boolean[] truth, int[] only) {
        int[] rows = only != null ? only : IntStream.range(0, scores.length).toArray();
        if (rows.length == 0) return new Ranking(Double.NaN, Double.NaN, Double.NaN);
        double[] s = new double[rows.length];
        boolean[] t = new boolean[rows.length];
        boolean both = false;
        for (int i = 0; i < rows.length; i++) {
            s[i] = scores[rows[i]];
            t[i] = truth[rows[i]];
            if (t[i] != t[0]) both = true;
        }
        int positives = 0;
        for (boolean b : t) if (b) positives++;
        return new Ranking(precisionTop10(s, t), precisionAt(s, t, positives), both ? RocAuc.of(s, t) : Double.NaN);
    }

    /** Share of real leaks among the ceil(10 %) highest scores; ties broken by position (stable). */
    public static double precisionTop10(double[] scores, boolean[] truth) {
        return precisionAt(scores, truth, (int) Math.ceil(scores.length * 0.1));
    }

    /** Share of real leaks among the {@code k} highest scores (NaN for k = 0); ties broken by position. */
    static double precisionAt(double[] scores, boolean[] truth, int k) {
        if (k == 0) return Double.NaN;
        Integer[] idx = IntStream.range(0, scores.length).boxed().toArray(Integer[]::new);
        java.util.Arrays.sort(idx, Comparator.<Integer>comparingDouble(i -> -scores[i]).thenComparing(i -> i));
        int hit = 0;
        for (int i = 0; i < k; i++) if (truth[idx[i]]) hit++;
        return (double) hit / k;
    }
}
