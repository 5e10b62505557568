package io.leakdetector.core.ml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class IsolationForestTest {
    private static final FeatureMatrix DATA = TestData.gaussian(2000, 6, 7);

    @Test
    void farPointScoresHigherThanTheCentre() {
        IsolationForest forest = IsolationForest.fit(DATA, "test window");
        double centre = forest.score(new double[6]);
        double far = forest.score(new double[] {8, -8, 8, 0, 0, 0});
        assertThat(far).isGreaterThan(0.6).isLessThanOrEqualTo(1.0);
        assertThat(centre).isLessThan(0.5).isGreaterThan(0.0);
        assertThat(far - centre).isGreaterThan(0.15);
        assertThat(far).isEqualTo(forest.scoreOfPathLength(forest.pathLength(new double[] {8, -8, 8, 0, 0, 0})));
    }

    @Test
    void treesRespectTheSubsampleAndDepthLimit() {
        IsolationForest forest = IsolationForest.fit(DATA, IsolationForestParams.defaults().withTrees(20), "");
        assertThat(forest.provenance().maxDepth()).isEqualTo(8);
        assertThat(forest.provenance().effectiveSubsample()).isEqualTo(256);
        for (int t = 0; t < 20; t++) {
            IsolationTree tree = forest.tree(t);
            assertThat(tree.cover[0]).isEqualTo(256);
            assertThat(tree.depth).isLessThanOrEqualTo(8);
            for (int i = 0; i < tree.size(); i++) {
                if (tree.feature[i] < 0) {
                    // a leaf above the depth limit holds one row, or rows that no feature can separate
                    assertThat(tree.value[i]).isGreaterThanOrEqualTo(PathLength.c(tree.cover[i]));
                } else {
                    assertThat(tree.cover[i + 1] + tree.cover[tree.right[i]]).isEqualTo(tree.cover[i]);
                    assertThat(tree.cover[i + 1]).isPositive();
                    assertThat(tree.cover[tree.right[i]]).isPositive();
                }
            }
        }
    }

    @Test
    void smallDataUsesEveryRowAndAShallowerLimit() {
        FeatureMatrix small = TestData.gaussian(100, 3, 1);
        IsolationForest forest = IsolationForest.fit(small, "");
        assertThat(forest.provenance().effectiveSubsample()).isEqualTo(100);
        assertThat(forest.provenance().maxDepth()).isEqualTo(7);
        assertThat(forest.normaliser()).isEqualTo(PathLength.c(100));
    }

    @Test
    void parallelScoringEqualsRowByRowScoring() {
        IsolationForest forest = IsolationForest.fit(DATA, "");
        double[] all = forest.scoreAll(DATA);
        for (int i = 0; i < DATA.rows(); i += 7) assertThat(all[i]).isEqualTo(forest.score(DATA.row(i)));
        assertThat(forest.scoreAll(DATA)).containsExactly(all);
    }

    @Test
    void completeTreeLayoutGivesTheSamePathLengthsAsThePointerTrees() {
        IsolationForest forest = IsolationForest.fit(DATA, "");
        for (int i = 0; i < 300; i++) {
            double[] row = DATA.row(i);
            double sum = 0;
            for (int t = 0; t < forest.treeCount(); t++) sum += forest.tree(t).pathLength(row, 0);
            assertThat(forest.pathLength(row)).isEqualTo(sum / forest.treeCount());
        }
    }

    @Test
    void blockScoringIsExactWhereManyThresholdsShareOneGridBucket() {
        // Feature 0: most values within 1e-6 of zero, a few at +-1e6, so the grid over the thresholds' range puts
        // most of them in one bucket and the block scorer counts there with its loop instead of two comparisons.
        SplittableRandom rng = new SplittableRandom(9);
        int n = 4000;
        double[] values = new double[n * 3];
        for (int r = 0; r < n; r++) {
            values[r * 3] = r % 40 == 0 ? (rng.nextBoolean() ? 1e6 : -1e6) * rng.nextDouble(0.5, 1) : rng.nextDouble() * 1e-6;
            values[r * 3 + 1] = rng.nextGaussian();
            values[r * 3 + 2] = rng.nextGaussian();
        }
        FeatureMatrix data = FeatureMatrix.ofRowMajor(TestData.names(3), values);
        IsolationForest forest = IsolationForest.fit(data, "");
        IsolationTree[] trees = new IsolationTree[forest.treeCount()];
        int depth = 0;
        for (int t = 0; t < trees.length; t++) {
            trees[t] = forest.tree(t);
            depth = Math.max(depth, trees[t].depth);
        }
        assertThat(new BlockScorer(trees, 3, depth, new double[trees.length << depth]).crowdedBuckets()).isPositive();
        int rows = 64 * 6;
        double[] probe = new double[rows * 3];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < 3; c++) {
                IsolationTree tree = trees[rng.nextInt(trees.length)];
                int node = rng.nextInt(tree.size());
                double t = tree.feature[node] == c ? tree.threshold[node] : data.get(rng.nextInt(n), c);
                probe[r * 3 + c] = switch (r % 3) {
                    case 0 -> t;
                    case 1 -> Math.nextUp(t);
                    default -> Math.nextDown(t);
                };
            }
        }
        double[] scores = new double[rows];
        forest.scoreRange(probe, 0, rows, scores, true);
        for (int r = 0; r < rows; r++) {
            double sum = 0;
            for (IsolationTree tree : trees) sum += tree.pathLength(probe, r * 3);
            assertThat(scores[r]).as("row %d", r).isEqualTo(forest.scoreOfPathLength(sum / trees.length));
        }
    }

    @Test
    void blockScoringEqualsWalkingEveryTreeBitForBit() {
        // Trees of depth 8 and 10 (two words of level masks), a column no split uses, rows sitting exactly on
        // thresholds, just beside them and far outside, and a last block that is not full.
        SplittableRandom rng = new SplittableRandom(3);
        FeatureMatrix train = TestData.gaussian(3000, 5, 11);
        double[] withConstant = new double[3000 * 6];
        for (int r = 0; r < 3000; r++) {
            System.arraycopy(train.data(), r * 5, withConstant, r * 6, 5);
            withConstant[r * 6 + 5] = 4.0;
        }
        FeatureMatrix data = FeatureMatrix.ofRowMajor(TestData.names(6), withConstant);
        for (IsolationForestParams params : List.of(IsolationForestParams.defaults(), new IsolationForestParams(40, 1024, 2))) {
            IsolationForest forest = IsolationForest.fit(data, params, "");
            int rows = 64 * 9 + 37;
            double[] probe = new double[rows * 6];
            for (int r = 0; r < rows; r++) {
                for (int c = 0; c < 6; c++) {
                    IsolationTree tree = forest.tree(rng.nextInt(forest.treeCount()));
                    int node = rng.nextInt(tree.size());
                    double t = tree.feature[node] >= 0 ? tree.threshold[node] : data.get(rng.nextInt(3000), c);
                    probe[r * 6 + c] = switch (r % 5) {
                        case 0 -> t;
                        case 1 -> Math.nextUp(t);
                        case 2 -> Math.nextDown(t);
                        case 3 -> rng.nextBoolean() ? 1e300 : -1e300;
                        default -> data.get(rng.nextInt(3000), c);
                    };
                }
            }
            FeatureMatrix m = FeatureMatrix.ofRowMajor(TestData.names(6), probe);
            double[] scores = new double[rows];
            forest.scoreRange(probe, 0, rows, scores, true);      // the block scorer even where walking is cheaper
            assertThat(forest.scoreAll(m)).containsExactly(scores);
            for (int r = 0; r < rows; r++) {
                double sum = 0;
                for (int t = 0; t < forest.treeCount(); t++) sum += forest.tree(t).pathLength(probe, r * 6);
                assertThat(scores[r]).as("row %d, psi %d", r, params.subsampleSize())
                        .isEqualTo(forest.scoreOfPathLength(sum / forest.treeCount()))
                        .isEqualTo(forest.score(m.row(r)));
            }
            // Blocks of 128 rows (two mask words) starting elsewhere, ending with one of 40 rows (the second word
            // empty): the same scores.
            double[] shifted = new double[rows];
            forest.scoreRange(probe, 3, 3 + 2 * 128 + 40, shifted, true);
            for (int r = 3; r < 3 + 2 * 128 + 40; r++) assertThat(shifted[r]).as("row %d", r).isEqualTo(scores[r]);
        }
    }

    @Test
    void sameSeedGivesByteIdenticalModelsAndAnotherSeedDoesNot() {
        byte[] a = IsolationForest.fit(DATA, "w").toBytes();
        byte[] b = IsolationForest.fit(DATA, "w").toBytes();
        byte[] c = IsolationForest.fit(DATA, IsolationForestParams.defaults().withSeed(99), "w").toBytes();
        assertThat(a).isEqualTo(b);
        assertThat(a).isNotEqualTo(c);
    }

    @Test
    void roundTripKeepsProvenanceScoresAndExplanations() throws IOException {
        IsolationForest forest = IsolationForest.fit(DATA, new IsolationForestParams(30, 128, 5), "invoices 2026-01..2026-03");
        byte[] bytes = forest.toBytes();
        IsolationForest read = IsolationForest.readFrom(new ByteArrayInputStream(bytes));
        assertThat(read.toBytes()).isEqualTo(bytes);
        ModelProvenance p = read.provenance();
        assertThat(p).isEqualTo(forest.provenance());
        assertThat(p.formatVersion()).isEqualTo(1);
        assertThat(p.params()).isEqualTo(new IsolationForestParams(30, 128, 5));
        assertThat(p.featureNames()).containsExactly("f0", "f1", "f2", "f3", "f4", "f5");
        assertThat(p.dataWindow()).isEqualTo("invoices 2026-01..2026-03");
        assertThat(p.trainingRows()).isEqualTo(2000);
        assertThat(read.referenceValues()).containsExactly(DATA.medians());
        assertThat(read.scoreAll(DATA)).containsExactly(forest.scoreAll(DATA));
        assertThat(read.explain(DATA.row(3)).contributions()).containsExactly(forest.explain(DATA.row(3)).contributions());
    }

    @Test
    void corruptOrForeignBytesAreRejected() {
        byte[] bytes = IsolationForest.fit(DATA, new IsolationForestParams(5, 64, 1), "").toBytes();
        byte[] flipped = bytes.clone();
        flipped[bytes.length / 2] ^= 0x10;
        assertThatThrownBy(() -> IsolationForest.readFrom(new ByteArrayInputStream(flipped))).isInstanceOf(IOException.class);
        byte[] truncated = java.util.Arrays.copyOf(bytes, bytes.length - 9);
        assertThatThrownBy(() -> IsolationForest.readFrom(new ByteArrayInputStream(truncated)))
                .isInstanceOf(IOException.class);
        assertThatThrownBy(() -> IsolationForest.readFrom(new ByteArrayInputStream("hello world, not a model".getBytes())))
                .isInstanceOf(IOException.class).hasMessageContaining("not an isolation forest");
    }

    @Test
    void constantDataGivesSingleLeafTrees() {
        FeatureMatrix constant = FeatureMatrix.ofRows(List.of("a", "b"), new double[][] {{1, 2}, {1, 2}, {1, 2}});
        IsolationForest forest = IsolationForest.fit(constant, "");
        assertThat(forest.tree(0).size()).isEqualTo(1);
        assertThat(forest.pathLength(new double[] {5, 5})).isCloseTo(PathLength.c(3), within(1e-12));
        assertThat(forest.explain(new double[] {5, 5}).contributions()).containsExactly(0, 0);
    }

    @Test
    void rejectsWrongWidthNonFiniteValuesAndOtherFeatures() {
        IsolationForest forest = IsolationForest.fit(DATA, new IsolationForestParams(5, 64, 1), "");
        assertThatThrownBy(() -> forest.score(new double[3])).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> forest.score(new double[] {0, 0, Double.NaN, 0, 0, 0}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("f2");
        assertThatThrownBy(() -> forest.scoreAll(TestData.gaussian(5, 5, 1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> FeatureMatrix.ofRows(List.of("a"), new double[][] {{Double.POSITIVE_INFINITY}}))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
