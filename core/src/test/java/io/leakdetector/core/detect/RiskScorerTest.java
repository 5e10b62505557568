package io.leakdetector.core.detect;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Locale;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class RiskScorerTest {

    private static void sameAsFormatter(double v) {
        assertThat(RiskScorer.oneDecimal(v)).as("%s", v).isEqualTo(String.format(Locale.ROOT, "%.1f", v));
    }

    @Test
    void oneDecimalIsWhatTheFormatterWrites() {
        for (double v : new double[] {0, -0.0, 0.05, 0.15, 0.25, 0.35, 0.45, 0.95, 1.05, 2.675, 9.95, 99.95, -0.04, -0.05,
                -1.25, 1e-20, 1e20, 1.7976931348623157E308, Double.MIN_VALUE, Double.NaN, Double.POSITIVE_INFINITY,
                Double.NEGATIVE_INFINITY}) {
            sameAsFormatter(v);
        }
        for (int k = -2000; k <= 20_000; k++) {
            sameAsFormatter(k / 20.0);   // the ties
            sameAsFormatter(k / 100.0);
        }
        // ratios as the risk score makes them: minor units over a median of minor units
        SplittableRandom random = new SplittableRandom(17);
        for (int i = 0; i < 20_000; i++) {
            long stake = random.nextLong(-1_000_000, 100_000_000), median = random.nextLong(1, 10_000_000);
            sameAsFormatter(stake / (double) median);
            sameAsFormatter(Double.longBitsToDouble(random.nextLong()));
        }
    }
}
