package io.leakdetector.core.ml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class RocAucTest {
    @Test
    void scikitLearnDocumentationExample() {
        // roc_auc_score([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]) == 0.75
        assertThat(RocAuc.of(new double[] {0.1, 0.4, 0.35, 0.8}, new boolean[] {false, false, true, true}))
                .isCloseTo(0.75, within(1e-15));
    }

    @Test
    void tiesCountOneHalf() {
        assertThat(RocAuc.of(new double[] {1, 1, 2, 2}, new boolean[] {false, true, false, true})).isEqualTo(0.5);
        assertThat(RocAuc.of(new double[] {0.5, 0.5, 0.7}, new boolean[] {false, true, true})).isEqualTo(0.75);
        assertThat(RocAuc.of(new double[] {3, 3, 3, 3}, new boolean[] {true, false, true, false})).isEqualTo(0.5);
    }

    @Test
    void perfectAndReversedRankings() {
        boolean[] labels = {false, false, true, true, true};
        assertThat(RocAuc.of(new double[] {1, 2, 3, 4, 5}, labels)).isEqualTo(1.0);
        assertThat(RocAuc.of(new double[] {5, 4, 3, 2, 1}, labels)).isEqualTo(0.0);
    }

    @Test
    void oneClassOnlyIsAnError() {
        assertThatThrownBy(() -> RocAuc.of(new double[] {1, 2}, new boolean[] {true, true}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("both classes");
    }
}
