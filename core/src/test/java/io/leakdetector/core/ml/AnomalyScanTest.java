package io.leakdetector.core.ml;

import io.leakdetector.core.detect.DetectionEngine;
import io.leakdetector.core.detect.ScoredFinding;
import io.leakdetector.core.evaluate.Evaluation;
import io.leakdetector.core.evaluate.TruthFile;
import io.leakdetector.core.evaluate.TruthRow;
import io.leakdetector.core.finding.Category;
import io.leakdetector.core.finding.Finding;
import io.leakdetector.core.generate.Generator;
import io.leakdetector.core.generate.GeneratorConfig;
import io.leakdetector.core.ml.features.BillingData;
import io.leakdetector.core.ml.features.BillingFeatures;
import io.leakdetector.core.scan.CustomerGrouping;
import io.leakdetector.core.scan.DataDirectoryLoader;
import io.leakdetector.core.scan.LoadedData;
import io.leakdetector.core.scan.Scanner;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

class AnomalyScanTest {
    @TempDir
    static Path dir;
    static List<TruthRow> truth;
    static Scanner.Result scanned;

    /** A world with many injected leaks (leak rate 0.5) so that the unknown bugs are a few dozen. */
    @BeforeAll
    static void scanAWorld() {
        Generator.generate(new GeneratorConfig(1500, 12, 3, 0.5, null), dir);
        truth = TruthFile.read(dir.resolve("truth.csv"));
        scanned = new Scanner(DetectionEngine.standard(), 2, AnomalyScan.AFTER_RULES).scan(dir, null, null);
    }

    private static List<Finding> anomalies() {
        return scanned.findings().stream().map(ScoredFinding::finding).filter(f -> f.category() == Category.ANOMALY).toList();
    }

    @Test
    void anomalyFindingsAreTheInjectedUnknownBugs() {
        Set<String> unknown = truth.stream().filter(t -> t.category() == Category.ANOMALY).map(TruthRow::subject)
                .collect(Collectors.toSet());
        assertThat(unknown).hasSizeGreaterThan(10);
        List<Finding> found = anomalies();
        long hits = found.stream().filter(f -> unknown.contains(f.subject())).count();
        // The bar: recall ≥ 0.8 at precision ≥ 0.8 among ANOMALY findings (measured: 34 of 34, no other).
        assertThat(hits).isGreaterThanOrEqualTo((long) Math.ceil(0.8 * unknown.size()));
        assertThat(hits).isGreaterThanOrEqualTo((long) Math.ceil(0.8 * found.size()));
        Evaluation.Metrics m = Evaluation.evaluate(truth, scanned.findings().stream().map(ScoredFinding::finding).toList())
                .perCategory().get(Category.ANOMALY);
        assertThat(m.precision()).isGreaterThanOrEqualTo(0.8);
        assertThat(m.recall()).isGreaterThanOrEqualTo(0.8);
    }

    @Test
    void anomalyFindingsCarryTheirExplanationAndEvidenceAndLeaveRuleSubjectsAlone() {
        List<Finding> found = anomalies();
        assertThat(found).isNotEmpty();
        Set<String> ruleSubjects = scanned.findings().stream().map(ScoredFinding::finding)
                .filter(f -> f.category() != Category.ANOMALY).map(Finding::subject).collect(Collectors.toSet());
        for (Finding f : found) {
            assertThat(f.subject()).startsWith("invoice:").isNotIn(ruleSubjects);
            assertThat(f.score()).isGreaterThan(0.5);
            assertThat(f.explanation()).startsWith("Unusual invoice: ").doesNotContain("nothing unusual");
            assertThat(f.evidence().get(0).sources().get(0)).startsWith("invoices.csv:");
        }
        assertThat(found).extracting(Finding::explanation)
                .anyMatch(e -> e.contains("the price it cites"))
                .anyMatch(e -> e.contains("what the usual rate gives"));
    }

    @Test
    void theScanTakesTheFeaturesFromTheRulePassAndFindsWhatThePassAfterItFinds() {
        List<Finding> after = new Scanner(DetectionEngine.standard(), 2, AnomalyScan::afterRules).scan(dir, null, null)
                .findings().stream().map(ScoredFinding::finding).toList();
        assertThat(after.stream().filter(f -> f.category() == Category.ANOMALY)).isNotEmpty();
        assertThat(scanned.findings().stream().map(ScoredFinding::finding).toList()).isEqualTo(after);
    }

    @Test
    void featuresFromTheHistoriesAreThoseOfTheBillingRecords() {
        LoadedData data = DataDirectoryLoader.load(dir, 2);
        CustomerGrouping groups = new CustomerGrouping(data);
        AnomalyScan.FromHistories split = AnomalyScan.FromHistories.start(data, groups.size(), Instant.EPOCH);
        assertThat(split).isNotNull();
        // from several threads and in another order than the customers', as a scan's rule pass calls it
        java.util.stream.IntStream.range(0, groups.size()).parallel().map(c -> groups.size() - 1 - c)
                .forEach(c -> split.customer(c, groups.history(c)));
        BillingFeatures.InvoiceRows fromHistories = split.rows();
        BillingFeatures.InvoiceRows fromRecords = BillingFeatures.invoices(BillingData.of(data), AnomalyScan.FEATURES);

        assertThat(fromHistories.invoices()).hasSize(data.invoices().size()).isEqualTo(fromRecords.invoices());
        assertThat(fromHistories.lines()).isEqualTo(fromRecords.lines());
        FeatureMatrix a = fromHistories.features(), b = fromRecords.features();
        assertThat(a.featureNames()).isEqualTo(b.featureNames());
        assertThat(a.rows()).isEqualTo(b.rows());
        int nonZero = 0;
        for (int r = 0; r < a.rows(); r++) {
            for (int c = 0; c < a.cols(); c++) {
                // bit for bit: the forest splits on these values
                assertThat(Double.doubleToRawLongBits(a.get(r, c))).as("row %d column %d", r, c)
                        .isEqualTo(Double.doubleToRawLongBits(b.get(r, c)));
                if (a.get(r, c) != 0) nonZero++;
            }
        }
        assertThat(nonZero).as("rows that disagree with what explains them").isPositive();
    }

    @Test
    void aRepeatedInvoiceIdLeavesThePassAfterTheRules(@TempDir Path copy) throws java.io.IOException {
        Generator.generate(GeneratorConfig.of(120, 6, 5), copy);
        // the same invoice row twice: the rule pass keeps it once, the pass over the records sees both rows
        Path invoices = copy.resolve("invoices.csv");
        List<String> lines = Files.readAllLines(invoices);
        Files.writeString(invoices, lines.get(1) + "\n", java.nio.file.StandardOpenOption.APPEND);
        LoadedData data = DataDirectoryLoader.load(copy, 2);
        assertThat(AnomalyScan.FromHistories.start(data, new CustomerGrouping(data).size(), Instant.EPOCH)).isNull();

        Scanner.Result split = new Scanner(DetectionEngine.standard(), 2, AnomalyScan.AFTER_RULES).scan(copy, null, null);
        Scanner.Result after = new Scanner(DetectionEngine.standard(), 2, AnomalyScan::afterRules).scan(copy, null, null);
        assertThat(split.duplicates()).isEqualTo(1);
        assertThat(split.findings()).isEqualTo(after.findings());
    }

    @Test
    void distinctIdsTellsEqualHashesFromEqualIds() {
        // "Aa" and "BB" share a hash code
        assertThat(AnomalyScan.distinctIds(List.of(invoice("Aa"), invoice("x"), invoice("BB")))).isTrue();
        assertThat(AnomalyScan.distinctIds(List.of(invoice("Aa"), invoice("BB"), invoice("x"), invoice("BB")))).isFalse();
        assertThat(AnomalyScan.distinctIds(List.of(invoice("x"), invoice("y"), invoice("x")))).isFalse();
        assertThat(AnomalyScan.distinctIds(List.of())).isTrue();
    }

    private static io.leakdetector.core.domain.Invoice invoice(String id) {
        io.leakdetector.core.money.Money zero = io.leakdetector.core.money.Money.zero(java.util.Currency.getInstance("EUR"));
        return new io.leakdetector.core.domain.Invoice(id, "c1", null, io.leakdetector.core.domain.InvoiceStatus.PAID,
                Instant.EPOCH, null, null, zero.currency(), zero, zero, zero, zero, zero, null, "invoices.csv:2");
    }

    @Test
    void scoringTheAllZeroRowOnceGivesEveryRowTheForestsOwnScore() {
        java.util.Random random = new java.util.Random(7);
        int rows = 5000, cols = 3;
        double[] data = new double[rows * cols];
        for (int i = 0; i < data.length; i++) {
            int kind = random.nextInt(20);   // mostly +0.0, some -0.0 (not the all-zero point), some values
            data[i] = kind < 17 ? 0.0 : kind == 17 ? -0.0 : random.nextGaussian();
        }
        FeatureMatrix m = FeatureMatrix.ofRowMajor(List.of("a", "b", "c"), data);
        IsolationForest forest = IsolationForest.fit(m, IsolationForestParams.defaults(), "test");
        assertThat(AnomalyScan.scoreAll(forest, m)).containsExactly(forest.scoreAll(m));
    }

    @Test
    void rankingIsByDescendingScoreThenRow() {
        java.util.Random random = new java.util.Random(11);
        double[] scores = new double[10_000];
        for (int i = 0; i < scores.length; i++) scores[i] = random.nextInt(4) == 0 ? random.nextDouble() : 0.44 + random.nextInt(3) / 100.0;
        Integer[] expected = new Integer[scores.length];
        for (int i = 0; i < expected.length; i++) expected[i] = i;
        java.util.Arrays.sort(expected, java.util.Comparator.<Integer>comparingDouble(i -> -scores[i]).thenComparing(i -> i));
        assertThat(AnomalyScan.ranking(scores)).containsExactly(java.util.Arrays.stream(expected).mapToInt(i -> i).toArray());
    }

    @Test
    void theCutIsAboveOneHalfAndAboveTheRobustFence() {
        double[] flat = new double[1000];
        java.util.Arrays.fill(flat, 0.45);
        assertThat(AnomalyScan.cut(flat)).isEqualTo(0.5);
        double[] spread = new double[1001];
        for (int i = 0; i < spread.length; i++) spread[i] = 0.4 + 0.2 * i / 1000.0;   // median 0.5, MAD 0.05
        assertThat(AnomalyScan.cut(spread)).isCloseTo(0.5 + 6 * 1.4826 * 0.05, org.assertj.core.data.Offset.offset(1e-9));
    }
}
