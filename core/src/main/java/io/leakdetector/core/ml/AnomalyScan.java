package io.leakdetector.core.ml;

import io.leakdetector.core.domain.Invoice;
import io.leakdetector.core.domain.InvoiceLine;
import io.leakdetector.core.finding.Category;
import io.leakdetector.core.finding.Evidence;
import io.leakdetector.core.finding.Finding;
import io.leakdetector.core.finding.Kind;
import io.leakdetector.core.ml.features.BillingData;
import io.leakdetector.core.ml.features.BillingFeatures;
import io.leakdetector.core.detect.CustomerHistory;
import io.leakdetector.core.scan.LoadedData;
import io.leakdetector.core.scan.Scanner;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;

/**
 * The ANOMALY pass: fits an Isolation Forest on the invoice features that say whether an invoice agrees with its
 * own explanations (the price book, the contract, the customer's history, the country's tax, its own arithmetic),
 * scores every invoice, and turns the ones the forest isolates faster than an average point — and that no rule
 * finding already names — into ANOMALY findings whose explanation is the exact TreeSHAP attribution in words and
 * whose evidence names the invoice's source rows.
 */
public final class AnomalyScan {
    private AnomalyScan() {}

    /** The scored invoices, most anomalous first, the score cut used, and the findings. */
    public record Result(FeatureMatrix features, double[] scores, int[] ranking, List<Finding> findings, double cut) {
        public Result(FeatureMatrix features, double[] scores, int[] ranking, List<Finding> findings) {
            this(features, scores, ranking, findings, Double.NaN);
        }
    }

    /**
     * The invoice features the ANOMALY model sees. Each is 0 when the invoice agrees with what explains it, so that
     * ordinary invoices pile up on one point and what the forest isolates is a disagreement nobody accounted for:
     * a recurring unit amount against the price it cites (or the contract's) and against its own history, tax against
     * the customer's and the country's usual rates, total against subtotal − discount + tax, lines against the subtotal, the currency
     * against the customer's usual one. Timing, payment and line-mix features are left out on purpose: they describe
     * leaks the rule detectors name, and an Isolation Forest spends its splits on whatever varies most.
     */
    public static final List<String> FEATURES = List.of("unit_to_cited_price_log10", "unit_to_own_median_log10",
            "tax_to_usual_rate_log2", "tax_amount_check_log10", "line_sum_to_subtotal_log10",
            "currency_differs_from_customer");

    /**
     * The forest of the ANOMALY pass: 100 trees of up to 4,096 invoices. Larger than the usual 256 because the
     * features above are 0 for almost every invoice: a tree must see a few of the rare disagreements to split on
     * them at all (with 256 rows out of 75,000, most trees see none and score every invoice alike).
     */
    public static final IsolationForestParams PARAMS = IsolationForestParams.defaults().withSubsampleSize(4096);

    /**
     * Scores every invoice of {@code data} and makes a finding of each whose score is above the cut and that is not
     * {@code explained}. The cut is {@code max(0.5, median + 6 × 1.4826 × MAD)} of this data's scores: above 0.5 the
     * forest isolates the invoice faster than an average point (Liu et al.), and the robust upper fence keeps a data
     * set whose invoices vary a lot from flagging its whole tail. {@code explained} holds the subjects of rule
     * findings ({@code invoice:<id>}) and the source rows their evidence cites ({@code invoices.csv:<line>}); an
     * invoice named by either is left to the rule.
     */
    public static Result scan(BillingData data, Set<String> explained, IsolationForestParams params, Instant detectedAt) {
        return unexplained(score(data, params, FEATURES), explained, detectedAt);
    }

    /** The findings of the rows of {@code s} above the cut that {@code explained} does not name. */
    private static Result unexplained(Scored s, Set<String> explained, Instant detectedAt) {
        if (s.scores.length == 0) return new Result(s.features, s.scores, s.ranking, List.of(), Double.NaN);
        double cut = cutOfSorted(s.sorted);
        List<Integer> above = new ArrayList<>();
        for (int row : s.ranking) {
            if (!(s.scores[row] > cut)) break;
            above.add(row);
        }
        Map<String, Invoice> invoices = s.invoices(above);
        List<Integer> rows = new ArrayList<>();
        for (int row : above) {
            Invoice inv = invoices.get(s.id(row));
            if (explained.contains(s.subject(row)) || explained.contains(inv.source())) continue;
            rows.add(row);
        }
        return new Result(s.features, s.scores, s.ranking, findings(s, rows, invoices, detectedAt), cut);
    }

    /**
     * The ANOMALY pass of a batch scan ({@code Scanner.Pass}): {@link #scan(BillingData, Set, IsolationForestParams,
     * Instant)} with {@link #PARAMS}, where a rule finding explains its subject and the source rows its evidence cites.
     */
    public static List<Finding> afterRules(LoadedData data, List<Finding> ruleFindings, Instant asOf) {
        return scan(BillingData.of(data), explained(ruleFindings), PARAMS, asOf).findings();
    }

    /** What rule findings explain: their subjects and the source rows their evidence cites. */
    private static Set<String> explained(List<Finding> ruleFindings) {
        Set<String> explained = new HashSet<>();
        for (Finding f : ruleFindings) {
            explained.add(f.subject());
            for (Evidence e : f.evidence()) explained.addAll(e.sources());
        }
        return explained;
    }

    /**
     * The ANOMALY pass of a batch scan, {@link #afterRules} as a {@link Scanner.Pass} that takes each customer's
     * invoices and lines from the history the rule detectors judge ({@link #split}) instead of grouping all billing
     * records again afterwards: the same rows in the same order, so the same forest, scores and findings.
     */
    public static final Scanner.Pass AFTER_RULES = new Scanner.Pass() {
        @Override
        public List<Finding> run(LoadedData data, List<Finding> ruleFindings, Instant asOf) {
            return afterRules(data, ruleFindings, asOf);
        }

        @Override
        public Scanner.Split split(LoadedData data, int customers, Instant asOf) {
            return FromHistories.start(data, customers, asOf);
        }
    };

    /**
     * The features of {@link #afterRules} from the rule pass's customer histories. A history holds a customer's
     * invoices once per id and the lines of the invoices it owns, while {@link BillingFeatures#invoices(BillingData,
     * List)} takes every invoice row of the customer and every line with its id: the two agree when no invoice id
     * repeats in the data, and otherwise the scan runs {@link #afterRules} after the rules instead.
     */
    static final class FromHistories implements Scanner.Split {
        private final BillingFeatures.OwnReferenceRows own;
        private final String[] customerIds;
        private final BillingFeatures.CustomerRows[] rows;
        private final Instant asOf;

        private FromHistories(BillingFeatures.OwnReferenceRows own, int customers, Instant asOf) {
            this.own = own;
            this.customerIds = new String[customers];
            this.rows = new BillingFeatures.CustomerRows[customers];
            this.asOf = asOf;
        }

        /** The split of {@code data}'s pass, or null when an invoice id repeats. */
        static FromHistories start(LoadedData data, int customers, Instant asOf) {
            if (!distinctIds(data.invoices())) return null;
            return new FromHistories(new BillingFeatures.OwnReferenceRows(FEATURES, BillingFeatures.References.of(
                    data.customers(), data.subscriptions(), data.prices(), data.invoices())), customers, asOf);
        }

        @Override
        public void customer(int c, CustomerHistory history) {
            if (history.invoices().isEmpty()) return;
            customerIds[c] = history.customerId();
            rows[c] = own.of(history.customerId(), history.invoices(), history::lines);
        }

        @Override
        public List<Finding> finish(List<Finding> ruleFindings) {
            Scored s = score(rows(), null, PARAMS);
            return unexplained(s, explained(ruleFindings), asOf).findings();
        }

        /**
         * The customers' rows joined in customer id order, as {@link BillingFeatures#invoices(BillingData, List)}
         * orders them (so the forest's rows and subsamples are the same), without subjects; lets go of the parts.
         */
        BillingFeatures.InvoiceRows rows() {
            Integer[] order = java.util.stream.IntStream.range(0, rows.length).filter(c -> rows[c] != null).boxed()
                    .toArray(Integer[]::new);
            Arrays.sort(order, (a, b) -> customerIds[a].compareTo(customerIds[b]));
            List<BillingFeatures.CustomerRows> inOrder = new ArrayList<>(order.length);
            for (int c : order) {
                inOrder.add(rows[c]);
                rows[c] = null;
            }
            return own.join(inOrder, false);
        }
    }

    /**
     * Whether no two invoices share an id (nor lack one): ids sorted by hash in parallel, only equal hashes compared.
     */
    static boolean distinctIds(List<Invoice> invoices) {
        long[] keys = new long[invoices.size()];
        boolean[] missing = {false};
        java.util.stream.IntStream.range(0, keys.length).parallel().forEach(i -> {
            String id = invoices.get(i).id();
            if (id == null) missing[0] = true;
            else keys[i] = ((long) id.hashCode() << 32) | i;
        });
        if (missing[0]) return false;
        Arrays.parallelSort(keys);
        for (int k = 1; k < keys.length; k++) {
            if ((keys[k] >>> 32) != (keys[k - 1] >>> 32)) continue;
            // a run of equal hashes: compare its ids pairwise (a run is almost always two)
            int end = k;
            while (end + 1 < keys.length && (keys[end + 1] >>> 32) == (keys[k] >>> 32)) end++;
            for (int a = k - 1; a <= end; a++) {
                for (int b = a + 1; b <= end; b++) {
                    if (invoices.get((int) keys[a]).id().equals(invoices.get((int) keys[b]).id())) return false;
                }
            }
            k = end;
        }
        return true;
    }

    /** Scores every invoice of {@code data} and makes findings of the {@code top} highest scores, explained or not. */
    public static Result scan(BillingData data, int top, IsolationForestParams params, Instant detectedAt) {
        return scan(data, top, params, detectedAt, FEATURES);
    }

    /** As {@link #scan(BillingData, int, IsolationForestParams, Instant)} over other invoice features. */
    public static Result scan(BillingData data, int top, IsolationForestParams params, Instant detectedAt, List<String> featureNames) {
        Scored s = score(data, params, featureNames);
        List<Integer> rows = new ArrayList<>();
        for (int n = 0; n < Math.min(top, s.ranking.length); n++) rows.add(s.ranking[n]);
        return new Result(s.features, s.scores, s.ranking, findings(s, rows, s.invoices(rows), detectedAt));
    }

    /** {@code max(0.5, median + 6 × 1.4826 × MAD)} of the scores. */
    static double cut(double[] scores) {
        double[] sorted = scores.clone();
        Arrays.sort(sorted);
        return cutOfSorted(sorted);
    }

    /** {@link #cut} of scores sorted ascending. */
    private static double cutOfSorted(double[] sorted) {
        double median = quantileOfSorted(sorted);
        double[] dev = new double[sorted.length];
        for (int i = 0; i < dev.length; i++) dev[i] = Math.abs(sorted[i] - median);
        Arrays.sort(dev);
        return Math.max(0.5, median + 6 * 1.4826 * quantileOfSorted(dev));
    }

    private static double quantileOfSorted(double[] v) {
        int n = v.length;
        return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    }

    /**
     * Scored rows: {@code rowInvoices} and {@code lines} are each row's invoice and lines; {@code all}, the data's
     * invoices, is where findings look their invoice up by id (null: each row's own invoice, when ids are distinct).
     */
    private record Scored(FeatureMatrix features, double[] scores, double[] sorted, int[] ranking, IsolationForest forest,
                          List<Invoice> all, List<Invoice> rowInvoices, List<List<InvoiceLine>> lines) {
        String id(int row) {
            return rowInvoices.get(row).id();
        }

        String subject(int row) {
            return "invoice:" + id(row);
        }

        /**
         * The invoices of {@code rows} by id: for each id the last invoice in the data that has it (what a map of all
         * invoices by id gives), looked up for these rows only.
         */
        Map<String, Invoice> invoices(List<Integer> rows) {
            Map<String, Invoice> out = new HashMap<>();
            if (all == null) {
                for (int row : rows) out.put(id(row), rowInvoices.get(row));
                return out;
            }
            Set<String> ids = new HashSet<>();
            for (int row : rows) ids.add(id(row));
            if (ids.isEmpty()) return out;
            for (Invoice inv : all) if (ids.contains(inv.id())) out.put(inv.id(), inv);
            return out;
        }
    }

    private static Scored score(BillingData data, IsolationForestParams params, List<String> featureNames) {
        return score(BillingFeatures.invoices(data, featureNames), data.invoices(), params);
    }

    private static Scored score(BillingFeatures.InvoiceRows rows, List<Invoice> all, IsolationForestParams params) {
        FeatureMatrix features = rows.features();
        if (features.rows() == 0) {
            return new Scored(features, new double[0], new double[0], new int[0], null, all, rows.invoices(), rows.lines());
        }
        IsolationForest forest = IsolationForest.fit(features, params, "invoices: " + features.rows());
        double[] scores = scoreAll(forest, features);
        double[] sorted = scores.clone();
        Arrays.sort(sorted);
        return new Scored(features, scores, sorted, ranking(scores, sorted), forest, all, rows.invoices(), rows.lines());
    }

    /**
     * {@code forest.scoreAll(features)}, with the all-zero rows scored once: every invoice that agrees with what
     * explains it is that one point (nearly all of a world), and a row's score depends on its values only.
     */
    static double[] scoreAll(IsolationForest forest, FeatureMatrix features) {
        int rows = features.rows(), cols = features.cols();
        double[] data = features.data();
        // +0.0 exactly: the trees' comparisons could tell -0.0 from it at a threshold of -0.0
        int[] others = IntStream.range(0, rows).parallel().filter(r -> {
            for (int c = r * cols; c < (r + 1) * cols; c++) if (Double.doubleToRawLongBits(data[c]) != 0) return true;
            return false;
        }).toArray();
        if (others.length == rows) return forest.scoreAll(features);
        double[] rest = new double[others.length * cols];
        for (int i = 0; i < others.length; i++) System.arraycopy(data, others[i] * cols, rest, i * cols, cols);
        double[] restScores = forest.scoreAll(FeatureMatrix.wrap(features.featureNames(), rest));
        double[] out = new double[rows];
        Arrays.fill(out, forest.score(new double[cols]));
        for (int i = 0; i < others.length; i++) out[others[i]] = restScores[i];
        return out;
    }

    /**
     * The rows by descending score, equal scores in row order: a stable counting sort over the distinct scores (a
     * world's scores take few distinct values), with no boxed comparator over a million rows.
     */
    static int[] ranking(double[] scores) {
        double[] sorted = scores.clone();
        Arrays.sort(sorted);
        return ranking(scores, sorted);
    }

    /** {@link #ranking(double[])} given the scores sorted ascending. */
    private static int[] ranking(double[] scores, double[] sorted) {
        double[] distinct = new double[sorted.length];
        int unique = 0;
        for (double v : sorted) if (unique == 0 || Double.compare(v, distinct[unique - 1]) != 0) distinct[unique++] = v;
        int u = unique;
        int[] bucket = new int[scores.length];   // 0: the highest score
        IntStream.range(0, scores.length).parallel().forEach(r -> bucket[r] = u - 1 - Arrays.binarySearch(distinct, 0, u, scores[r]));
        int[] start = new int[u + 1];
        for (int b : bucket) start[b + 1]++;
        for (int b = 0; b < u; b++) start[b + 1] += start[b];
        int[] ranking = new int[scores.length];
        for (int r = 0; r < scores.length; r++) ranking[start[bucket[r]]++] = r;
        return ranking;
    }

    private static List<Finding> findings(Scored s, List<Integer> rows, Map<String, Invoice> invoices,
                                          Instant detectedAt) {
        if (rows.isEmpty()) return List.of();
        List<FeatureDescriber> describers = describers(s.features.featureNames());
        double[] references = s.forest.referenceValues();
        int[] rank = new int[s.ranking.length];
        for (int n = 0; n < s.ranking.length; n++) rank[s.ranking[n]] = n;
        List<Finding> findings = new ArrayList<>();
        for (int row : rows) {
            String subject = s.subject(row);
            Invoice inv = invoices.get(s.id(row));
            double[] values = s.features.row(row);
            Attribution attribution = s.forest.explain(values);
            Explanation explanation = Explanation.of(attribution, values, references, describers, 3);
            List<String> sources = new ArrayList<>();
            sources.add(inv.source());
            for (InvoiceLine l : s.lines.get(row)) sources.add(l.source());   // every line with the invoice's id
            double score = s.scores[row];
            Evidence evidence = new Evidence("isolation forest score " + String.format(Locale.ROOT, "%.3f", score)
                    + " (rank " + (rank[row] + 1) + " of " + s.scores.length + " invoices)", "score near or below 0.5",
                    String.format(Locale.ROOT, "%.3f", score), sources);
            findings.add(new Finding("anomaly-" + inv.id(), Category.ANOMALY, Kind.RISK, subject, inv.customerId(),
                    null, null, inv.currency(), score, null, detectedAt, withShap(evidence, attribution, values),
                    "Unusual invoice: " + explanation.text(), "review the invoice against the contract and the price book",
                    null, List.of("isolation-forest")));
        }
        return findings;
    }

    /** The score's evidence followed by the TreeSHAP contributions behind it (the dashboard's waterfall). */
    private static List<Evidence> withShap(Evidence score, Attribution attribution, double[] values) {
        List<Evidence> out = new ArrayList<>();
        out.add(score);
        out.addAll(ShapEvidence.of(attribution, values, "expected path length (shorter is more unusual)"));
        return out;
    }

    /** Words for the features that carry amounts against a reference; {@link FeatureDescriber#plain} for the rest. */
    static List<FeatureDescriber> describers(List<String> names) {
        List<FeatureDescriber> out = new ArrayList<>();
        for (String name : names) {
            out.add(switch (name) {
                case "subtotal_to_expected_log10" -> (v, r) -> "subtotal about " + times(v) + " the price book's expected amount";
                case "total_to_customer_median_log10" -> (v, r) -> "total about " + times(v) + " this customer's median invoice";
                case "total_to_segment_median_log10" -> (v, r) -> "total about " + times(v) + " the segment's median invoice";
                case "unit_to_cited_price_log10" -> (v, r) -> "unit amount about " + times(v) + " the price it cites";
                case "unit_to_own_median_log10" -> (v, r) -> "unit amount about " + times(v) + " its own usual amount";
                case "tax_to_usual_rate_log2" -> (v, r) -> "tax about " + times(v * Math.log10(2)) + " what the usual rate gives";
                case "currency_differs_from_customer" -> (v, r) -> v > 0 ? "billed in another currency than the customer's usual one"
                        : "billed in the customer's usual currency";
                case "tax_amount_check_log10" -> (v, r) -> "total about " + times(v) + " subtotal − discount + tax";
                case "line_sum_to_subtotal_log10" -> (v, r) -> "lines adding up to about " + times(v) + " the subtotal";
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
