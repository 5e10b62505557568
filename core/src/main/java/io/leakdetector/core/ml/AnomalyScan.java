package io.leakdetector.core.ml;

import io.leakdetector.core.domain.Invoice;
import io.leakdetector.core.domain.InvoiceLine;
import io.leakdetector.core.finding.Category;
import io.leakdetector.core.finding.Evidence;
import io.leakdetector.core.finding.Finding;
import io.leakdetector.core.finding.Kind;
import io.leakdetector.core.ml.features.BillingData;
import io.leakdetector.core.ml.features.BillingFeatures;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * The ANOMALY pass: fits an Isolation Forest on the invoice features of a data set, scores every invoice and turns
 * the highest-scored ones into ANOMALY findings whose explanation is the exact TreeSHAP attribution in words and
 * whose evidence names the invoice's source rows. Excluding invoices that a rule already explains is the caller's
 * step (rule findings are not known here).
 */
public final class AnomalyScan {
    private AnomalyScan() {}

    /** The scored invoices, most anomalous first, and the findings for the {@code top} of them. */
    public record Result(FeatureMatrix features, double[] scores, int[] ranking, List<Finding> findings) {}

    /**
     * The invoice features the ANOMALY model sees: how the amounts and the tax agree with the price book, with the
     * customer's own history, the segment and the country, and whether the invoice adds up. The other invoice
     * features (timing, payments, line mix) describe leaks the rule detectors name, and with 43 dimensions an
     * Isolation Forest spends most of its splits on them: measured on a generated world, all 43 features put no
     * truth ANOMALY among the top 68, this subset ranks them first (BENCHMARKS.md).
     */
    public static final List<String> FEATURES = List.of("subtotal_to_expected_log10", "total_to_customer_median_log10",
            "total_to_segment_median_log10", "unit_amount_to_list_log10", "tax_share", "tax_rate_to_country_median",
            "tax_rate_minus_country_median_pp", "tax_amount_check_log10", "line_sum_to_subtotal_log10");

    /** Scores every invoice of {@code data} and makes findings of the {@code top} highest scores. */
    public static Result scan(BillingData data, int top, IsolationForestParams params, Instant detectedAt) {
        return scan(data, top, params, detectedAt, FEATURES);
    }

    /** As {@link #scan(BillingData, int, IsolationForestParams, Instant)} over other invoice features. */
    public static Result scan(BillingData data, int top, IsolationForestParams params, Instant detectedAt, List<String> featureNames) {
        FeatureMatrix features = columns(BillingFeatures.invoices(data), featureNames);
        if (features.rows() == 0) return new Result(features, new double[0], new int[0], List.of());
        IsolationForest forest = IsolationForest.fit(features, params, "invoices: " + features.rows());
        double[] scores = forest.scoreAll(features);
        int[] ranking = IntStream.range(0, scores.length).boxed()
                .sorted(Comparator.<Integer>comparingDouble(i -> -scores[i]).thenComparing(i -> i))
                .mapToInt(Integer::intValue).toArray();
        Map<String, Invoice> invoices = new HashMap<>();
        for (Invoice inv : data.invoices()) invoices.put(inv.id(), inv);
        Map<String, List<String>> lineSources = new HashMap<>();
        for (InvoiceLine l : data.lines()) lineSources.computeIfAbsent(l.invoiceId(), k -> new ArrayList<>()).add(l.source());
        List<FeatureDescriber> describers = describers(features.featureNames());
        double[] references = forest.referenceValues();
        List<Finding> findings = new ArrayList<>();
        for (int n = 0; n < Math.min(top, ranking.length); n++) {
            int row = ranking[n];
            String subject = features.subjects().get(row);
            Invoice inv = invoices.get(subject.substring("invoice:".length()));
            double[] values = features.row(row);
            Attribution attribution = forest.explain(values);
            Explanation explanation = Explanation.of(attribution, values, references, describers, 3);
            List<String> sources = new ArrayList<>();
            sources.add(inv.source());
            sources.addAll(lineSources.getOrDefault(inv.id(), List.of()));
            Evidence evidence = new Evidence("isolation forest score " + String.format(Locale.ROOT, "%.3f", scores[row])
                    + " (rank " + (n + 1) + " of " + scores.length + " invoices)", "score near or below 0.5",
                    String.format(Locale.ROOT, "%.3f", scores[row]), sources);
            findings.add(new Finding("anomaly-" + inv.id(), Category.ANOMALY, Kind.RISK, subject, inv.customerId(),
                    null, null, inv.currency(), scores[row], null, detectedAt, withShap(evidence, attribution, values),
                    "Unusual invoice: " + explanation.text(), "review the invoice against the contract and the price book",
                    null, List.of("isolation-forest")));
        }
        return new Result(features, scores, ranking, findings);
    }

    /** The score's evidence followed by the TreeSHAP contributions behind it (the dashboard's waterfall). */
    private static List<Evidence> withShap(Evidence score, Attribution attribution, double[] values) {
        List<Evidence> out = new ArrayList<>();
        out.add(score);
        out.addAll(ShapEvidence.of(attribution, values, "expected path length (shorter is more unusual)"));
        return out;
    }

    /** The named columns of {@code all}, in the order given, with the same subjects. */
    static FeatureMatrix columns(FeatureMatrix all, List<String> names) {
        int[] cols = new int[names.size()];
        for (int c = 0; c < cols.length; c++) {
            cols[c] = all.column(names.get(c));
            if (cols[c] < 0) throw new IllegalArgumentException("no feature " + names.get(c));
        }
        double[][] rows = new double[all.rows()][cols.length];
        for (int r = 0; r < rows.length; r++) for (int c = 0; c < cols.length; c++) rows[r][c] = all.get(r, cols[c]);
        return FeatureMatrix.ofRows(names, rows).withSubjects(all.subjects());
    }

    /** Words for the features that carry amounts against a reference; {@link FeatureDescriber#plain} for the rest. */
    static List<FeatureDescriber> describers(List<String> names) {
        List<FeatureDescriber> out = new ArrayList<>();
        for (String name : names) {
            out.add(switch (name) {
                case "subtotal_to_expected_log10" -> (v, r) -> "subtotal about " + times(v) + " the price book's expected amount";
                case "total_to_customer_median_log10" -> (v, r) -> "total about " + times(v) + " this customer's median invoice";
                case "total_to_segment_median_log10" -> (v, r) -> "total about " + times(v) + " the segment's median invoice";
                case "unit_amount_to_list_log10" -> (v, r) -> "unit amount about " + times(v) + " the list price";
                case "tax_rate_to_country_median" -> (v, r) -> "tax rate " + FeatureDescriber.number(Math.round(v * 100) / 100.0)
                        + " × the country's usual rate";
                case "tax_share" -> (v, r) -> "tax rate " + FeatureDescriber.number(Math.round(v * 1000) / 10.0) + " % (typical "
                        + FeatureDescriber.number(Math.round(r * 1000) / 10.0) + " %)";
                default -> FeatureDescriber.plain(name);
            });
        }
        return out;
    }

    /** A log10 ratio as "×98" or "1/98 of". */
    private static String times(double log10) {
        double f = Math.pow(10, log10);
        return f >= 1 ? "×" + FeatureDescriber.number(Math.round(f * 10) / 10.0) : "1/" + FeatureDescriber.number(Math.round(10 / f) / 10.0) + " of";
    }
}
