package io.leakdetector.core.evaluate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.leakdetector.core.finding.Category;
import io.leakdetector.core.finding.Finding;
import io.leakdetector.core.money.Currencies;
import io.leakdetector.core.money.Money;
import io.leakdetector.core.util.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** evaluate on hand-built cases where every figure is worked out by hand. */
class EvaluationTest {
    private static final double EPS = 1e-9;

    static TruthRow truth(String subject, Category c, String oneTime, String recurring, String currency) {
        return new TruthRow(subject, c, null, Money.parse(oneTime, Currencies.of(currency)), Money.parse(recurring, Currencies.of(currency)),
                Currencies.of(currency), null, null, "truth.csv:1");
    }

    static Finding finding(String subject, Category c, double score, String explanation) {
        return new Finding("f-" + subject + c, c, c.defaultKind(), subject, null, null, null, Currencies.of("USD"), score, null, null, null,
                explanation, null, null, null);
    }

    // t1 matched and agreeing, t2 matched by a finding of another category, t3 missed, t4 (JPY) matched;
    // f3 is a false alarm and has the highest score
    static final List<TruthRow> TRUTH = List.of(
            truth("invoice:a", Category.FAILED_PAYMENT, "100.00", "0", "USD"),
            truth("invoice:b", Category.PRICE_MISMATCH, "0", "10.00", "USD"),
            truth("subscription:s@2025-01", Category.UNBILLED_USAGE, "50.00", "0", "USD"),
            truth("customer:c", Category.EXPIRING_PAYMENT_METHOD, "1000", "0", "JPY"));
    static final List<Finding> FINDINGS = List.of(
            finding("invoice:a", Category.FAILED_PAYMENT, 0.9, "3 failed attempts, 20 days unpaid"),
            finding("invoice:b", Category.EXPIRED_DISCOUNT, 0.8, " "),
            finding("invoice:z", Category.PRICE_MISMATCH, 0.95, "below list"),
            finding("customer:c", Category.EXPIRING_PAYMENT_METHOD, 0.5, "card expires 2025-12"));

    @Test
    void overallFiguresOfAHandBuiltCase() {
        Evaluation.Metrics m = Evaluation.evaluate(TRUTH, FINDINGS).overall();
        assertThat(m.precision()).isCloseTo(0.75, within(EPS));
        assertThat(m.recall()).isCloseTo(0.75, within(EPS));
        assertThat(m.f1()).isCloseTo(0.75, within(EPS));
        assertThat(m.precisionTop10()).isCloseTo(0.0, within(EPS)); // ceil(10 % of 4) = 1: the false alarm at 0.95
        assertThat(m.falseAlarmShare()).isCloseTo(0.25, within(EPS));
        // one-time in USD: 100 + 50 + 1000 JPY × 0.0067 = 156.70; found 100 + 6.70
        assertThat(m.dollarRecallOneTime()).isCloseTo(106.7 / 156.7, within(EPS));
        assertThat(m.dollarRecallRecurring()).isCloseTo(1.0, within(EPS));
        assertThat(m.categoryAgreement()).isCloseTo(2.0 / 3, within(EPS));
        assertThat(m.explanationCoverage()).isCloseTo(0.75, within(EPS));
        assertThat(m.findings()).isEqualTo(4);
        assertThat(m.truth()).isEqualTo(4);
    }

    @Test
    void perCategoryFigures() {
        Map<Category, Evaluation.Metrics> per = Evaluation.evaluate(TRUTH, FINDINGS).perCategory();
        assertThat(per.keySet()).containsExactly(Category.FAILED_PAYMENT, Category.PRICE_MISMATCH, Category.EXPIRED_DISCOUNT,
                Category.UNBILLED_USAGE, Category.EXPIRING_PAYMENT_METHOD);
        Evaluation.Metrics fp = per.get(Category.FAILED_PAYMENT);
        assertThat(List.of(fp.precision(), fp.recall(), fp.precisionTop10(), fp.dollarRecallOneTime(), fp.categoryAgreement(),
                fp.explanationCoverage())).containsOnly(1.0);
        assertThat(fp.dollarRecallRecurring()).isZero(); // no recurring amount to find
        Evaluation.Metrics pm = per.get(Category.PRICE_MISMATCH);
        assertThat(pm.precision()).isZero(); // its only finding (invoice:z) is a false alarm
        assertThat(pm.falseAlarmShare()).isEqualTo(1.0);
        assertThat(pm.recall()).isEqualTo(1.0); // invoice:b was found, under another category
        assertThat(pm.categoryAgreement()).isZero();
        assertThat(pm.dollarRecallRecurring()).isEqualTo(1.0);
        Evaluation.Metrics ed = per.get(Category.EXPIRED_DISCOUNT);
        assertThat(ed.precision()).isEqualTo(1.0);
        assertThat(ed.truth()).isZero();
        assertThat(ed.recall()).isZero();
        assertThat(ed.explanationCoverage()).isZero(); // blank explanation
        Evaluation.Metrics uu = per.get(Category.UNBILLED_USAGE);
        assertThat(uu.findings()).isZero();
        assertThat(uu.recall()).isZero();
        assertThat(uu.dollarRecallOneTime()).isZero();
    }

    @Test
    void topTenPercentTakesTiesAtTheCutInExpectation() {
        List<Finding> findings = new ArrayList<>();
        List<TruthRow> truth = new ArrayList<>();
        findings.add(finding("invoice:top", Category.PRICE_MISMATCH, 0.9, "x"));
        truth.add(truth("invoice:top", Category.PRICE_MISMATCH, "0", "1.00", "USD"));
        for (int i = 0; i < 4; i++) findings.add(finding("invoice:tie" + i, Category.PRICE_MISMATCH, 0.8, "x"));
        truth.add(truth("invoice:tie0", Category.PRICE_MISMATCH, "0", "1.00", "USD"));
        for (int i = 0; i < 15; i++) findings.add(finding("invoice:low" + i, Category.PRICE_MISMATCH, 0.1, "x"));
        // 20 findings: k = 2; one sure hit above the cut, then 1 of the 4 tied at 0.8 hits: (1 + 1 × 1/4) / 2
        double expected = (1 + 0.25) / 2;
        Random r = new Random(3);
        for (int round = 0; round < 5; round++) {
            Collections.shuffle(findings, r);
            assertThat(Evaluation.evaluate(truth, findings).overall().precisionTop10()).isCloseTo(expected, within(EPS));
        }
    }

    @Test
    void emptyFindingsScoreZeroWithoutFalseAlarms() {
        Evaluation.Report r = Evaluation.evaluate(TRUTH, List.of());
        Evaluation.Metrics m = r.overall();
        assertThat(List.of(m.precision(), m.recall(), m.f1(), m.precisionTop10(), m.falseAlarmShare(), m.dollarRecallOneTime(),
                m.dollarRecallRecurring(), m.categoryAgreement(), m.explanationCoverage())).containsOnly(0.0);
        assertThat(m.findings()).isZero();
        assertThat(m.truth()).isEqualTo(4);
        assertThat(r.perCategory()).hasSize(4);
    }

    @Test
    void perfectFindingsScoreOne() {
        List<Finding> findings = TRUTH.stream().map(t -> finding(t.subject(), t.category(), 0.9, "why")).toList();
        Evaluation.Metrics m = Evaluation.evaluate(TRUTH, findings).overall();
        assertThat(List.of(m.precision(), m.recall(), m.f1(), m.precisionTop10(), m.dollarRecallOneTime(), m.dollarRecallRecurring(),
                m.categoryAgreement(), m.explanationCoverage())).allSatisfy(v -> assertThat(v).isCloseTo(1.0, within(EPS)));
        assertThat(m.falseAlarmShare()).isZero();
    }

    @Test
    @SuppressWarnings("unchecked")
    void jsonHasExactlyTheContractKeys() {
        Map<String, Object> json = (Map<String, Object>) Json.parse(Evaluation.evaluate(TRUTH, FINDINGS).toJson());
        assertThat(json.keySet()).containsExactly("precision", "recall", "f1", "precision_top10", "false_alarm_share",
                "dollar_recall_one_time", "dollar_recall_recurring", "category_agreement", "explanation_coverage", "findings", "truth",
                "per_category");
        assertThat(json.get("precision").toString()).isEqualTo("0.75");
        assertThat(json.get("findings").toString()).isEqualTo("4");
        Map<String, Object> per = (Map<String, Object>) json.get("per_category");
        assertThat(per).containsKeys("FAILED_PAYMENT", "PRICE_MISMATCH");
        assertThat(((Map<String, Object>) per.get("PRICE_MISMATCH")).get("recall").toString()).isEqualTo("1");
    }

    @Test
    void truthFileErrorsNameFileAndLine(@TempDir Path dir) throws IOException {
        Path ok = dir.resolve("truth.csv");
        Files.writeString(ok, String.join(",", TruthFile.COLUMNS) + "\n"
                + "invoice:a,FAILED_PAYMENT,leak,100.00,0.00,USD,2025-01-01T00:00:00Z,\"soft declines, all retries failed\"\n"
                + "customer:c,EXPIRING_PAYMENT_METHOD,risk,1000,0,JPY,,\n");
        List<TruthRow> rows = TruthFile.read(ok);
        assertThat(rows).hasSize(2);
        assertThat(rows.get(0).amountOneTime()).isEqualTo(Money.parse("100.00", Currencies.of("USD")));
        assertThat(rows.get(0).note()).isEqualTo("soft declines, all retries failed");
        assertThat(rows.get(1).source()).isEqualTo("truth.csv:3");

        Path badCategory = dir.resolve("bad1.csv");
        Files.writeString(badCategory, "subject,category,currency\ninvoice:a,FAILED_PAYMENT,USD\ninvoice:b,LEAKY,USD\n");
        assertThatThrownBy(() -> TruthFile.read(badCategory)).hasMessageStartingWith("bad1.csv:3:").hasMessageContaining("LEAKY");

        Path badAmount = dir.resolve("bad2.csv");
        Files.writeString(badAmount, "subject,category,currency,amount_one_time\ninvoice:a,FAILED_PAYMENT,JPY,12.50\n");
        assertThatThrownBy(() -> TruthFile.read(badAmount)).hasMessageStartingWith("bad2.csv:2:").hasMessageContaining("amount_one_time");

        Path twice = dir.resolve("bad3.csv");
        Files.writeString(twice, "subject,category,currency\ninvoice:a,FAILED_PAYMENT,USD\ninvoice:a,FAILED_PAYMENT,USD\n");
        assertThatThrownBy(() -> TruthFile.read(twice)).hasMessageStartingWith("bad3.csv:3:").hasMessageContaining("line 2");

        Path noHeader = dir.resolve("bad4.csv");
        Files.writeString(noHeader, "subject,currency\ninvoice:a,USD\n");
        assertThatThrownBy(() -> TruthFile.read(noHeader)).hasMessageStartingWith("bad4.csv:1:").hasMessageContaining("category");
    }

    @Test
    void aCurrencyWithoutReferenceRateIsNamed() {
        List<TruthRow> truth = List.of(new TruthRow("invoice:x", Category.ANOMALY, null, null, null, Currencies.of("THB"), null, null,
                "truth.csv:7"));
        assertThatThrownBy(() -> Evaluation.evaluate(truth, List.of())).hasMessageContaining("truth.csv:7").hasMessageContaining("THB");
    }
}
