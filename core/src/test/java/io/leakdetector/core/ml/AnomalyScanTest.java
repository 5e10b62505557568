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
import io.leakdetector.core.scan.Scanner;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
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
        scanned = new Scanner(DetectionEngine.standard(), 2, AnomalyScan::afterRules).scan(dir, null, null);
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
