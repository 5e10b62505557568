package io.leakdetector.core.ml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** PSI over decile bins: zero for the same distribution, the textbook value by hand, thresholds. */
class PsiTest {
    @Test
    void sameDistributionIsStableAShiftedOneAlerts() {
        SplittableRandom r = new SplittableRandom(7);
        double[] ref = new double[5000], same = new double[5000], shifted = new double[5000];
        for (int i = 0; i < ref.length; i++) {
            ref[i] = r.nextDouble();
            same[i] = r.nextDouble();
            shifted[i] = r.nextDouble() * 0.5 + 0.5;
        }
        double[] edges = Psi.edges(ref, 10);
        assertThat(edges).hasSize(9);
        long[] e = Psi.histogram(ref, edges);
        assertThat(Psi.of(e, e)).isEqualTo(0.0);
        double stable = Psi.of(e, Psi.histogram(same, edges));
        double moved = Psi.of(e, Psi.histogram(shifted, edges));
        assertThat(Psi.level(stable)).isEqualTo("stable");
        assertThat(Psi.level(moved)).isEqualTo("alert");
    }

    @Test
    void matchesTheFormulaByHandAndHandlesEmptyBinsAndConstants() {
        long[] expected = {50, 50};
        long[] actual = {80, 20};
        double byHand = (0.8 - 0.5) * Math.log(0.8 / 0.5) + (0.2 - 0.5) * Math.log(0.2 / 0.5);
        assertThat(Psi.of(expected, actual)).isCloseTo(byHand, within(1e-12));
        assertThat(Psi.of(new long[] {10, 0}, new long[] {0, 10})).isFinite().isGreaterThan(Psi.ALERT);
        assertThat(Psi.edges(new double[] {3, 3, 3}, 10)).isEmpty();
        assertThat(Psi.histogram(new double[] {1, 2, 2, 3}, new double[] {2})).containsExactly(1, 3);
        assertThat(Psi.level(0.1)).isEqualTo("warn");
        assertThat(Psi.level(Double.NaN)).isEqualTo("unknown");
    }
}
