package io.leakdetector.core.ml.xgboost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.leakdetector.core.ml.Attribution;
import io.leakdetector.core.ml.Explanation;
import io.leakdetector.core.ml.FeatureMatrix;
import io.leakdetector.core.ml.LayeredScore;
import io.leakdetector.core.ml.SupervisedModel;
import io.leakdetector.core.ml.SupervisedParams;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** XGBoost behind {@link io.leakdetector.core.ml.SupervisedModel}: it learns, explains exactly, round-trips, and is seeded. */
class XgboostLearnerTest {
    static final List<String> NAMES = List.of("pattern_a", "noise", "rule_score");
    final XgboostLearner learner = new XgboostLearner();

    /** Pattern a (feature 0 = 1) is what analysts dismiss; everything else they confirm, whatever its rule score. */
    static FeatureMatrix rows(int n, long seed, boolean[] labels) {
        SplittableRandom r = new SplittableRandom(seed);
        double[][] x = new double[n][3];
        for (int i = 0; i < n; i++) {
            boolean a = r.nextInt(3) == 0;
            x[i][0] = a ? 1 : 0;
            x[i][1] = r.nextDouble();
            x[i][2] = a ? 0.9 + 0.1 * r.nextDouble() : 0.4 + 0.3 * r.nextDouble(); // the rules rank pattern a first
            if (labels != null) labels[i] = !a;
        }
        return FeatureMatrix.ofRows(NAMES, x);
    }

    @Test
    void contributionsAddUpToTheMarginAndExplainInTheSharedSignConvention() {
        boolean[] y = new boolean[400];
        SupervisedModel m = learner.fit(rows(400, 1, y), y, SupervisedParams.DEFAULTS);
        FeatureMatrix test = rows(50, 2, null);
        for (int i = 0; i < test.rows(); i++) {
            double[] row = test.row(i);
            Attribution a = m.explain(row);
            // flipped signs: baseline + sum == -margin, score is the probability
            assertThat(a.baseline() + a.sum()).isCloseTo(a.pathLength(), within(1e-5));
            assertThat(-a.pathLength()).isCloseTo(m.margin(row), within(1e-4));
            assertThat(a.score()).isCloseTo(m.score(row), within(1e-5));
        }
        double[] confirmedRow = {0, 0.5, 0.5};
        Explanation e = Explanation.of(m.explain(confirmedRow), confirmedRow, new double[3], 2);
        assertThat(e.reasons()).isNotEmpty();
        assertThat(e.reasons().get(0).feature()).isEqualTo("pattern_a"); // not being pattern a is what makes it real
        assertThat(m.featureImportance().get(0)).isGreaterThan(m.featureImportance().get(1));
    }

    @Test
    void aPatternAnalystsKeepDismissingSinksBelowConfirmedOnesInTheFinalScore() {
        boolean[] y = new boolean[300];
        FeatureMatrix train = rows(300, 3, y);
        SupervisedModel m = learner.fit(train, y, SupervisedParams.DEFAULTS);
        double[] dismissedPattern = {1, 0.3, 0.99};
        double[] confirmedPattern = {0, 0.3, 0.45};
        double pd = m.score(dismissedPattern), pc = m.score(confirmedPattern);
        assertThat(pd).isLessThan(0.1);
        assertThat(pc).isGreaterThan(0.9);
        LayeredScore layers = LayeredScore.DEFAULT;
        // before any model the rules rank the dismissed pattern first ...
        assertThat(layers.combine(0.99, Double.NaN, Double.NaN)).isGreaterThan(layers.combine(0.45, Double.NaN, Double.NaN));
        // ... with the model it sinks below the confirmed one
        assertThat(layers.combine(0.99, Double.NaN, pd)).isLessThan(layers.combine(0.45, Double.NaN, pc));
    }

    @Test
    void sameSeedSameModelAndBytesRoundTrip() {
        boolean[] y = new boolean[200];
        FeatureMatrix train = rows(200, 4, y);
        SupervisedModel a = learner.fit(train, y, SupervisedParams.DEFAULTS);
        SupervisedModel b = learner.fit(train, y, SupervisedParams.DEFAULTS);
        assertThat(a.toBytes()).isEqualTo(b.toBytes());
        SupervisedModel loaded = learner.load(NAMES, a.toBytes());
        FeatureMatrix test = rows(30, 5, null);
        assertThat(loaded.scoreAll(test)).containsExactly(a.scoreAll(test), within(0.0));
        assertThat(loaded.explain(test.row(0)).contributions()).containsExactly(a.explain(test.row(0)).contributions(), within(1e-9));
    }

    @Test
    void needsBothClassesAndRejectsForeignBytes() {
        boolean[] y = new boolean[20];
        assertThatThrownBy(() -> learner.fit(rows(20, 6, null), y, SupervisedParams.DEFAULTS))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("both confirmed and dismissed");
        assertThatThrownBy(() -> learner.load(NAMES, new byte[] {1, 2, 3})).isInstanceOf(IllegalArgumentException.class);
    }
}
