package io.leakdetector.core.evaluate;

import io.leakdetector.core.finding.Category;
import io.leakdetector.core.finding.Finding;
import io.leakdetector.core.util.Json;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Scores findings against a truth file (DESIGN.md §9). A finding matches when a truth row has the same
 * {@code subject}; categories are compared only among matched rows (category agreement). Every ratio whose
 * denominator is empty is 0. Amounts of several currencies are combined in US dollars with the fixed
 * {@link ReferenceRates} table.
 */
public final class Evaluation {

    /** The figures of one slice (everything, or one category). */
    public record Metrics(double precision, double recall, double f1, double precisionTop10, double falseAlarmShare,
                          double dollarRecallOneTime, double dollarRecallRecurring, double categoryAgreement,
                          double explanationCoverage, int findings, int truth) {

        Map<String, Object> toJson() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("precision", round(precision));
            m.put("recall", round(recall));
            m.put("f1", round(f1));
            m.put("precision_top10", round(precisionTop10));
            m.put("false_alarm_share", round(falseAlarmShare));
            m.put("dollar_recall_one_time", round(dollarRecallOneTime));
            m.put("dollar_recall_recurring", round(dollarRecallRecurring));
            m.put("category_agreement", round(categoryAgreement));
            m.put("explanation_coverage", round(explanationCoverage));
            m.put("findings", findings);
            m.put("truth", truth);
            return m;
        }
    }

    /** The overall figures and the same figures per category (categories present in the truth or the findings). */
    public record Report(Metrics overall, Map<Category, Metrics> perCategory) {

        /** One JSON object with the keys of the overall figures and {@code per_category}. */
        public String toJson() {
            Map<String, Object> m = overall.toJson();
            Map<String, Object> per = new LinkedHashMap<>();
            perCategory.forEach((c, v) -> per.put(c.name(), v.toJson()));
            m.put("per_category", per);
            return Json.write(m);
        }

        /** A table for people. */
        public String toText() {
            StringBuilder sb = new StringBuilder();
            String head = "%-24s %9s %9s %7s %7s %7s %7s %7s %7s %7s %8s %8s%n";
            sb.append(String.format(head, "", "precision", "recall", "f1", "top10%", "false", "$1x", "$mrr", "categ",
                    "explain", "findings", "truth"));
            row(sb, "ALL", overall);
            perCategory.forEach((c, v) -> row(sb, c.name(), v));
            sb.append("top10% = precision of the top 10 % of findings by score; false = false-alarm share; $1x/$mrr = leaked-dollar\n")
                    .append("recall of one-time / monthly-recurring amounts (USD at fixed reference rates); categ = category agreement.\n");
            return sb.toString();
        }

        private static void row(StringBuilder sb, String name, Metrics m) {
            sb.append(String.format("%-24s %9.3f %9.3f %7.3f %7.3f %7.3f %7.3f %7.3f %7.3f %7.3f %8d %8d%n", name, m.precision,
                    m.recall, m.f1, m.precisionTop10, m.falseAlarmShare, m.dollarRecallOneTime, m.dollarRecallRecurring,
                    m.categoryAgreement, m.explanationCoverage, m.findings, m.truth));
        }
    }

    private Evaluation() {}

    /**
     * Scores {@code findings} against {@code truth}.
     *
     * @throws IllegalArgumentException naming the truth row whose currency has no reference rate
     */
    public static Report evaluate(List<TruthRow> truth, List<Finding> findings) {
        for (TruthRow t : truth) {
            if (!ReferenceRates.covers(t.currency().getCurrencyCode())) {
                throw new IllegalArgumentException(t.source() + ": no reference rate for currency " + t.currency().getCurrencyCode());
            }
        }
        Set<String> truthSubjects = new HashSet<>();
        for (TruthRow t : truth) truthSubjects.add(t.subject());
        Map<String, Set<Category>> findingCategories = new HashMap<>();
        for (Finding f : findings) findingCategories.computeIfAbsent(f.subject(), k -> EnumSet.noneOf(Category.class)).add(f.category());

        Metrics overall = metrics(truth, findings, truthSubjects, findingCategories);
        Set<Category> present = EnumSet.noneOf(Category.class);
        for (TruthRow t : truth) present.add(t.category());
        for (Finding f : findings) present.add(f.category());
        Map<Category, Metrics> per = new EnumMap<>(Category.class);
        for (Category c : present) {
            List<TruthRow> tc = new ArrayList<>();
            for (TruthRow t : truth) if (t.category() == c) tc.add(t);
            List<Finding> fc = new ArrayList<>();
            for (Finding f : findings) if (f.category() == c) fc.add(f);
            per.put(c, metrics(tc, fc, truthSubjects, findingCategories));
        }
        return new Report(overall, per);
    }

    private static Metrics metrics(List<TruthRow> truth, List<Finding> findings, Set<String> truthSubjects,
                                   Map<String, Set<Category>> findingCategories) {
        int matchedFindings = 0, explained = 0;
        for (Finding f : findings) {
            if (truthSubjects.contains(f.subject())) matchedFindings++;
            if (f.explanation() != null && !f.explanation().isBlank()) explained++;
        }
        int matchedTruth = 0, agreeing = 0;
        BigDecimal oneTimeAll = BigDecimal.ZERO, oneTimeFound = BigDecimal.ZERO;
        BigDecimal recurringAll = BigDecimal.ZERO, recurringFound = BigDecimal.ZERO;
        for (TruthRow t : truth) {
            BigDecimal one = ReferenceRates.toUsd(t.amountOneTime()).abs();
            BigDecimal rec = ReferenceRates.toUsd(t.amountMonthlyRecurring()).abs();
            oneTimeAll = oneTimeAll.add(one);
            recurringAll = recurringAll.add(rec);
            Set<Category> cats = findingCategories.get(t.subject());
            if (cats != null) {
                matchedTruth++;
                oneTimeFound = oneTimeFound.add(one);
                recurringFound = recurringFound.add(rec);
                if (cats.contains(t.category())) agreeing++;
            }
        }
        double precision = ratio(matchedFindings, findings.size());
        double recall = ratio(matchedTruth, truth.size());
        double f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
        return new Metrics(precision, recall, f1, precisionTop10(findings, truthSubjects),
                ratio(findings.size() - matchedFindings, findings.size()), ratio(oneTimeFound, oneTimeAll),
                ratio(recurringFound, recurringAll), ratio(agreeing, matchedTruth), ratio(explained, findings.size()),
                findings.size(), truth.size());
    }

    /**
     * Precision of the ⌈10 %⌉ highest-scored findings. Findings tied with the last one admitted are taken in
     * random order, so the figure is the expectation over that order: the input order never changes it.
     */
    static double precisionTop10(List<Finding> findings, Set<String> truthSubjects) {
        int n = findings.size();
        if (n == 0) return 0;
        int k = (int) Math.ceil(n * 0.10);
        List<Finding> sorted = new ArrayList<>(findings);
        sorted.sort(Comparator.comparingDouble(Finding::score).reversed());
        double cut = sorted.get(k - 1).score();
        int above = 0, aboveMatched = 0, tied = 0, tiedMatched = 0;
        for (Finding f : sorted) {
            boolean hit = truthSubjects.contains(f.subject());
            if (f.score() > cut) {
                above++;
                if (hit) aboveMatched++;
            } else if (f.score() == cut) {
                tied++;
                if (hit) tiedMatched++;
            }
        }
        double expectedHits = aboveMatched + (double) (k - above) * tiedMatched / tied;
        return expectedHits / k;
    }

    private static double ratio(long part, long whole) {
        return whole == 0 ? 0 : (double) part / whole;
    }

    private static double ratio(BigDecimal part, BigDecimal whole) {
        return whole.signum() == 0 ? 0 : part.divide(whole, 12, RoundingMode.HALF_EVEN).doubleValue();
    }

    private static BigDecimal round(double v) {
        BigDecimal b = BigDecimal.valueOf(v).setScale(6, RoundingMode.HALF_EVEN).stripTrailingZeros();
        return b.scale() < 0 ? b.setScale(0) : b;
    }
}
