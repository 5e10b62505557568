package io.leakdetector.core.ml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class PathLengthTest {
    @Test
    void smallCountsFollowTheDefinition() {
        assertThat(PathLength.c(0)).isZero();
        assertThat(PathLength.c(1)).isZero();
        assertThat(PathLength.c(2)).isEqualTo(1.0);
        // c(3) = 2 H(2) - 2 * 2/3 = 3 - 4/3
        assertThat(PathLength.c(3)).isCloseTo(3 - 4.0 / 3, within(1e-15));
    }

    @Test
    void c256MatchesTheHarmonicNumberAndIsCloseToTheLogApproximation() {
        double h255 = 0;
        for (int i = 255; i >= 1; i--) h255 += 1.0 / i;
        assertThat(PathLength.c(256)).isCloseTo(2 * h255 - 2 * 255 / 256.0, within(1e-12));
        // scikit-learn's ln(n-1) + gamma approximation differs by about 1/(n-1)
        double approx = 2 * (Math.log(255) + 0.5772156649015329) - 2 * 255 / 256.0;
        assertThat(PathLength.c(256)).isCloseTo(approx, within(0.005)).isNotEqualTo(approx);
    }

    @Test
    void asymptoticHarmonicJoinsTheExactSum() {
        double exact = 0;
        for (int i = 5000; i >= 1; i--) exact += 1.0 / i;   // smallest terms first: accurate to ~1e-15
        assertThat(PathLength.harmonic(5000)).isCloseTo(exact, within(1e-13));
        assertThat(PathLength.harmonic(4097) - PathLength.harmonic(4096)).isCloseTo(1.0 / 4097, within(1e-14));
    }

    @Test
    void gaussLegendreIsExactUpToDegreeTwoKMinusOne() {
        for (int k = 1; k <= 8; k++) {
            GaussLegendre q = new GaussLegendre(k);
            for (int degree = 0; degree <= 2 * k - 1; degree++) {
                double sum = 0;
                for (int i = 0; i < k; i++) sum += q.weights[i] * Math.pow(q.points[i], degree);
                assertThat(sum).as("k=%d degree=%d", k, degree).isCloseTo(1.0 / (degree + 1), within(1e-14));
            }
            double next = 0;
            for (int i = 0; i < k; i++) next += q.weights[i] * Math.pow(q.points[i], 2 * k);
            assertThat(Math.abs(next - 1.0 / (2 * k + 1))).as("degree 2k is not exact").isGreaterThan(1e-12);
        }
    }
}
