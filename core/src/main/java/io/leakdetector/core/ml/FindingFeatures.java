package io.leakdetector.core.ml;

import io.leakdetector.core.detect.RiskAssessment;
import io.leakdetector.core.detect.RiskFactor;
import io.leakdetector.core.detect.Signals;
import io.leakdetector.core.domain.Invoice;
import io.leakdetector.core.finding.Category;
import io.leakdetector.core.finding.Finding;
import io.leakdetector.core.finding.Kind;
import io.leakdetector.core.ml.features.BillingData;
import io.leakdetector.core.ml.features.BillingFeatures;
import io.leakdetector.core.money.Money;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The rows the supervised model learns from and scores: one per finding (a rule finding or an ANOMALY candidate),
 * made of the rule signals (category, kind, rule score, the risk score's signals, amounts, the Isolation Forest's
 * score) followed by the billing features of the finding's invoice ({@code inv_*}, docs/features.md) and of its
 * customer-month ({@code cm_*}). A finding whose subject is no invoice has zeros in the {@code inv_*} columns and
 * {@code has_invoice_features = 0}; its customer-month is the subject's month ({@code @YYYY-MM}), the invoice's month,
 * or else the customer's latest month with an invoice.
 */
public final class FindingFeatures {
    private FindingFeatures() {}

    /**
     * One finding to score. {@code risk} is the risk assessment behind a rule finding's score when it is known (null
     * for ANOMALY candidates; the server recomputes it for stored rule findings); {@code anomalyScore} is the Isolation Forest score of its
     * invoice, or NaN when it has none.
     */
    public record Candidate(Finding finding, RiskAssessment risk, double anomalyScore) {}

    static final List<String> SIGNALS = List.of(Signals.RULE_CERTAINTY, Signals.MARGIN, Signals.PERSISTENCE,
            Signals.AMOUNT_AT_STAKE, Signals.CUSTOMER_HISTORY);

    /** The rule-signal columns, in order. */
    public static final List<String> RULE_FEATURES = ruleNames();

    /** Every column, in order: {@link #RULE_FEATURES}, then {@code inv_*}, then {@code cm_*}. */
    public static final List<String> NAMES = allNames();

    private static List<String> ruleNames() {
        List<String> n = new ArrayList<>(List.of("rule_score", "anomaly_score", "has_anomaly_score", "matched_rules",
                "evidence_count", "amount_one_time_log10", "amount_recurring_log10", "has_risk_signals"));
        for (String s : SIGNALS) n.add("risk_" + s);
        for (Kind k : Kind.values()) n.add("kind_" + k.name().toLowerCase());
        for (Category c : Category.values()) n.add("category_" + c.name().toLowerCase());
        n.add("has_invoice_features");
        n.add("has_customer_month_features");
        return List.copyOf(n);
    }

    private static List<String> allNames() {
        List<String> n = new ArrayList<>(RULE_FEATURES);
        for (String f : BillingFeatures.INVOICE_FEATURES) n.add("inv_" + f);
        for (String f : BillingFeatures.CUSTOMER_MONTH_FEATURES) n.add("cm_" + f);
        return List.copyOf(n);
    }

    private static final DateTimeFormatter MONTH = DateTimeFormatter.ofPattern("yyyy-MM").withZone(ZoneOffset.UTC);

    /** The feature rows of {@code candidates} over {@code data}, with the findings' subjects. */
    public static FeatureMatrix of(List<Candidate> candidates, BillingData data) {
        return of(candidates, data, BillingFeatures.invoices(data), BillingFeatures.customerMonths(data));
    }

    /** As {@link #of(List, BillingData)} with the billing features already computed. */
    public static FeatureMatrix of(List<Candidate> candidates, BillingData data, FeatureMatrix invoices, FeatureMatrix months) {
        Map<String, Integer> invoiceRow = index(invoices);
        Map<String, Integer> monthRow = index(months);
        Map<String, Integer> latestMonth = new HashMap<>();
        for (int r = 0; r < months.rows(); r++) {
            String s = months.subjects().get(r);
            String customer = s.substring("customer:".length(), s.lastIndexOf('@'));
            latestMonth.merge(customer, r, (a, b) -> months.subjects().get(a).compareTo(months.subjects().get(b)) >= 0 ? a : b);
        }
        Map<String, Invoice> invoiceById = new HashMap<>();
        for (Invoice inv : data.invoices()) invoiceById.put(inv.id(), inv);

        int nr = RULE_FEATURES.size(), ni = invoices.cols(), nm = months.cols();
        double[][] rows = new double[candidates.size()][NAMES.size()];
        List<String> subjects = new ArrayList<>();
        for (int i = 0; i < candidates.size(); i++) {
            Candidate c = candidates.get(i);
            Finding f = c.finding();
            double[] row = rows[i];
            subjects.add(f.subject());
            rules(c, row);
            String month = null;
            if (f.subject().startsWith("invoice:")) {
                Integer r = invoiceRow.get(f.subject());
                if (r != null) {
                    for (int j = 0; j < ni; j++) row[nr + j] = invoices.get(r, j);
                    row[RULE_FEATURES.indexOf("has_invoice_features")] = 1;
                }
                Invoice inv = invoiceById.get(f.subject().substring("invoice:".length()));
                if (inv != null) month = MONTH.format(inv.createdAt());
            }
            int at = f.subject().lastIndexOf('@');
            if (month == null && at > 0) month = f.subject().substring(at + 1);
            Integer m = null;
            if (f.customerId() != null) {
                if (month != null) m = monthRow.get("customer:" + f.customerId() + "@" + month);
                if (m == null) m = latestMonth.get(f.customerId());
            }
            if (m != null) {
                for (int j = 0; j < nm; j++) row[nr + ni + j] = months.get(m, j);
                row[RULE_FEATURES.indexOf("has_customer_month_features")] = 1;
            }
        }
        return FeatureMatrix.ofRows(NAMES, rows).withSubjects(subjects);
    }

    private static void rules(Candidate c, double[] row) {
        Finding f = c.finding();
        row[0] = f.score();
        boolean hasAnomaly = !Double.isNaN(c.anomalyScore());
        row[1] = hasAnomaly ? c.anomalyScore() : 0;
        row[2] = hasAnomaly ? 1 : 0;
        row[3] = f.matchedRules().size();
        row[4] = f.evidence().size();
        row[5] = log10Major(f.amountOneTime());
        row[6] = log10Major(f.amountMonthlyRecurring());
        int k = 7;
        row[k++] = c.risk() == null ? 0 : 1;
        for (String s : SIGNALS) {
            double v = 0;
            if (c.risk() != null) for (RiskFactor rf : c.risk().factors()) if (rf.signal().equals(s)) v = rf.score();
            row[k++] = v;
        }
        for (Kind kind : Kind.values()) row[k++] = f.kind() == kind ? 1 : 0;
        for (Category cat : Category.values()) row[k++] = f.category() == cat ? 1 : 0;
    }

    private static double log10Major(Money m) {
        return Math.log10(1 + Math.abs(m.minor()) / Math.pow(10, m.exponent()));
    }

    private static Map<String, Integer> index(FeatureMatrix m) {
        Map<String, Integer> out = new HashMap<>();
        for (int r = 0; r < m.rows(); r++) out.put(m.subjects().get(r), r);
        return out;
    }

    /** Describers in words for every column: the billing features' own phrases where they exist, plain otherwise. */
    public static List<FeatureDescriber> describers() {
        List<String> invoiceNames = new ArrayList<>();
        for (String n : NAMES) invoiceNames.add(n.startsWith("inv_") ? n.substring(4) : n);
        List<FeatureDescriber> base = AnomalyScan.describers(invoiceNames);
        List<FeatureDescriber> out = new ArrayList<>();
        for (int i = 0; i < NAMES.size(); i++) {
            String n = NAMES.get(i);
            if (n.startsWith("category_")) out.add((v, r) -> (v == 1 ? "category " : "not category ") + n.substring(9).toUpperCase());
            else if (n.startsWith("kind_")) out.add((v, r) -> (v == 1 ? "kind " : "not kind ") + n.substring(5));
            else if (n.equals("rule_score")) out.add((v, r) -> "rule score " + FeatureDescriber.number(Math.round(v * 100) / 100.0));
            else if (n.equals("anomaly_score")) out.add((v, r) -> "isolation forest score " + FeatureDescriber.number(Math.round(v * 1000) / 1000.0));
            else if (n.startsWith("inv_")) out.add(base.get(i));
            else out.add(FeatureDescriber.plain(n));
        }
        return out;
    }
}
