package io.leakdetector.core.ml;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

class ExplanationTest {
    private static final List<String> NAMES = List.of("amount", "days_since_previous", "discount_share");

    @Test
    void plainDescriberShowsValueAndTypical() {
        assertThat(FeatureDescriber.plain("f3").describe(12.5, 3.1)).isEqualTo("f3 = 12.5 (typical 3.1)");
        assertThat(FeatureDescriber.plain("n").describe(4, 1200)).isEqualTo("n = 4 (typical 1200)");
    }

    @Test
    void relativeDescriberGivesPercentAgainstTheReference() {
        FeatureDescriber amount = FeatureDescriber.relativeTo("amount", "this customer's median",
                v -> String.format(Locale.US, "USD %,.0f", v));
        assertThat(amount.describe(456, 1200)).isEqualTo("amount 62 % below this customer's median of USD 1,200");
        assertThat(amount.describe(1800, 1200)).isEqualTo("amount 50 % above this customer's median of USD 1,200");
        assertThat(amount.describe(1200, 1200)).isEqualTo("amount equal to this customer's median of USD 1,200");
    }

    @Test
    void reasonsAreTheMostNegativeContributionsInOrder() {
        Attribution a = new Attribution(NAMES, new double[] {-1.5, 0.4, -0.2}, 10, 8.7, 0.62);
        FeatureDescriber amount = FeatureDescriber.relativeTo("amount", "this customer's median",
                v -> String.format(Locale.US, "USD %,.0f", v));
        Explanation e = Explanation.of(a, new double[] {456, 30, 0.4}, new double[] {1200, 30, 0.1},
                Arrays.asList(amount, null, null), 3);
        assertThat(e.reasons()).extracting(Explanation.Reason::feature).containsExactly("amount", "discount_share");
        assertThat(e.text()).isEqualTo("amount 62 % below this customer's median of USD 1,200; discount_share = 0.4 (typical 0.1)");
        assertThat(e.score()).isEqualTo(0.62);
        assertThat(Explanation.of(a, new double[] {456, 30, 0.4}, new double[] {1200, 30, 0.1}, 1).reasons()).hasSize(1);
    }

    @Test
    void aRowWithNothingPullingTowardsAnomalousSaysSo() {
        Attribution a = new Attribution(NAMES, new double[] {0.5, 0.4, 0}, 10, 10.9, 0.4);
        assertThat(Explanation.of(a, new double[3], new double[3], 3).text()).isEqualTo("nothing unusual");
    }
}
