package io.leakdetector.core.ml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class TreeShapTest {
    @Test
    void contributionsAddUpToPathLengthMinusBaseline() {
        FeatureMatrix data = TestData.gaussian(3000, 12, 3);
        IsolationForest forest = IsolationForest.fit(data, "");
        Attribution[] all = forest.explainAll(data);
        for (int i = 0; i < data.rows(); i += 3) {
            Attribution a = all[i];
            assertThat(a.sum()).isCloseTo(a.pathLength() - a.baseline(), within(1e-6));
            assertThat(a.pathLength()).isEqualTo(forest.pathLength(data.row(i)));
            assertThat(a.score()).isEqualTo(forest.score(data.row(i)));
            assertThat(a.baseline()).isEqualTo(forest.baseline());
        }
    }

    @Test
    void explainingManyRowsTogetherGivesEachRowsOwnExplanationBitForBit() {
        // explainAll takes rows in pairs, tree by tree; an odd count leaves one row to the single-row path.
        FeatureMatrix data = TestData.gaussian(3000, 12, 3);
        for (IsolationForestParams params : java.util.List.of(IsolationForestParams.defaults(), new IsolationForestParams(20, 1024, 4))) {
            IsolationForest forest = IsolationForest.fit(data, params, "");
            FeatureMatrix rows = data.select(java.util.stream.IntStream.range(0, 301).toArray());
            Attribution[] all = forest.explainAll(rows);
            for (int i = 0; i < rows.rows(); i++) {
                Attribution one = forest.explain(rows.row(i));
                assertThat(all[i].contributions()).as("row %d", i).containsExactly(one.contributions());
                assertThat(all[i].pathLength()).isEqualTo(one.pathLength());
            }
        }
    }

    @Test
    void equalsBruteForceShapleyOnFiveFeatures() {
        // 64-row subsamples: depth limit 6 over 5 features, so features repeat along paths.
        FeatureMatrix data = TestData.gaussian(400, 5, 11);
        IsolationForest forest = IsolationForest.fit(data, new IsolationForestParams(6, 64, 17), "");
        SplittableRandom rng = new SplittableRandom(5);
        int repeatedPaths = 0;
        for (int t = 0; t < forest.treeCount(); t++) {
            IsolationTree tree = forest.tree(t);
            for (int i = 0; i < tree.size(); i++) if (i > 0 && tree.prevSame[i] >= 0) repeatedPaths++;
            assertThat(tree.baseline).isCloseTo(BruteForceShapley.expectedValue(tree, new double[5], 0), within(1e-12));
            for (int r = 0; r < 25; r++) {
                double[] x = r < 20 ? data.row(rng.nextInt(data.rows())) : new double[] {
                        rng.nextGaussian() * 4, rng.nextGaussian() * 4, 0, 9, -9};
                double[] expected = BruteForceShapley.shapley(tree, x);
                double[] fast = forest.explainTree(t, x);
                double[] algorithm2 = Algorithm2TreeShap.shap(tree, x);
                for (int f = 0; f < 5; f++) {
                    assertThat(fast[f]).as("tree %d row %d feature %d", t, r, f).isCloseTo(expected[f], within(1e-9));
                    assertThat(algorithm2[f]).isCloseTo(expected[f], within(1e-9));
                }
            }
        }
        assertThat(repeatedPaths).as("the trees must exercise repeated features").isGreaterThan(10);
    }

    @Test
    void equalsAlgorithmTwoWithFourQuadraturePoints() {
        // The default subsample of 256 (depth limit 8): the tables of TreeShap.prepare and the fused steps of nodes
        // near the leaves, one row at a time and in pairs.
        FeatureMatrix data = TestData.gaussian(3000, 6, 29);
        IsolationForest forest = IsolationForest.fit(data, new IsolationForestParams(25, 256, 8), "");
        assertThat(forest.shap().points()).isEqualTo(4);
        SplittableRandom rng = new SplittableRandom(3);
        double[] pair = new double[12];
        for (int r = 0; r < 24; r++) {
            double[] x = r % 4 == 3 ? new double[] {rng.nextGaussian() * 5, 0, 7, -7, rng.nextGaussian(), 0}
                    : data.row(rng.nextInt(data.rows()));
            System.arraycopy(x, 0, pair, 0, 6);
            System.arraycopy(data.row(r), 0, pair, 6, 6);
            for (int t = 0; t < forest.treeCount(); t++) {
                IsolationTree tree = forest.tree(t);
                double[] fast = forest.explainTree(t, x);
                double[] reference = Algorithm2TreeShap.shap(tree, x);
                double[] phiA = new double[6], phiB = new double[6];
                forest.shap().accumulatePair(tree, pair, 0, 6, 1.0, forest.workspace(), forest.workspace(), phiA, phiB);
                double[] referenceB = Algorithm2TreeShap.shap(tree, data.row(r));
                for (int f = 0; f < 6; f++) {
                    assertThat(fast[f]).as("tree %d row %d feature %d", t, r, f).isCloseTo(reference[f], within(1e-9));
                    assertThat(phiA[f]).isEqualTo(fast[f]);
                    assertThat(phiB[f]).isCloseTo(referenceB[f], within(1e-9));
                }
            }
        }
    }

    @Test
    void equalsAlgorithmTwoOnDeepTreesWithManyFeatures() {
        FeatureMatrix data = TestData.gaussian(5000, 20, 13);
        // 4096-row subsamples: depth 12, so 6 quadrature points
        IsolationForest forest = IsolationForest.fit(data, new IsolationForestParams(4, 4096, 3), "");
        assertThat(forest.shap().points()).isEqualTo(6);
        for (int t = 0; t < forest.treeCount(); t++) {
            for (int r = 0; r < 50; r++) {
                double[] x = data.row(r * 37);
                double[] fast = forest.explainTree(t, x);
                double[] reference = Algorithm2TreeShap.shap(forest.tree(t), x);
                for (int f = 0; f < 20; f++) assertThat(fast[f]).isCloseTo(reference[f], within(1e-9));
            }
        }
    }

    @Test
    void forestAttributionIsTheMeanOfTheTrees() {
        FeatureMatrix data = TestData.gaussian(500, 4, 21);
        IsolationForest forest = IsolationForest.fit(data, new IsolationForestParams(7, 128, 2), "");
        double[] x = {3, -1, 0.5, 4};
        double[] mean = new double[4];
        for (int t = 0; t < 7; t++) {
            double[] phi = BruteForceShapley.shapley(forest.tree(t), x);
            for (int f = 0; f < 4; f++) mean[f] += phi[f] / 7;
        }
        Attribution a = forest.explain(x);
        for (int f = 0; f < 4; f++) assertThat(a.contribution(f)).isCloseTo(mean[f], within(1e-9));
    }

    @Test
    void theFeatureThatMakesARowOddGetsTheMostNegativeContribution() {
        FeatureMatrix data = TestData.gaussian(3000, 6, 8);
        IsolationForest forest = IsolationForest.fit(data, "");
        Attribution a = forest.explain(new double[] {0, 0, 0, 0, 12, 0});
        int most = 0;
        for (int f = 1; f < 6; f++) if (a.contribution(f) < a.contribution(most)) most = f;
        assertThat(most).isEqualTo(4);
        assertThat(a.contribution(4)).isNegative();
        assertThat(a.pathLength()).isLessThan(a.baseline());
    }
}
