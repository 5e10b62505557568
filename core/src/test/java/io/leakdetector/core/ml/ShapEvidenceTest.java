package io.leakdetector.core.ml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.leakdetector.core.finding.Evidence;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ShapEvidenceTest {

    @Test
    void contributionsSurviveTheEvidenceAndStillAddUpToTheOutput() {
        Attribution a = new Attribution(List.of("amount_log10", "tax_share"), new double[] {-2.25, 0.125}, 9.5, 7.375, 0.71);
        List<Evidence> evidence = new ArrayList<>();
        evidence.add(new Evidence("isolation forest score 0.710", "score near or below 0.5", "0.710", List.of("invoices.csv:3")));
        evidence.addAll(ShapEvidence.of(a, new double[] {1.75, 0.2}, "expected path length"));

        ShapEvidence.Waterfall w = ShapEvidence.parse(evidence).orElseThrow();

        assertThat(w.unit()).isEqualTo("expected path length");
        assertThat(w.baseline()).isEqualTo(9.5);
        assertThat(w.contributions()).containsExactly(new ShapEvidence.Contribution("amount_log10", 1.75, -2.25),
                new ShapEvidence.Contribution("tax_share", 0.2, 0.125));
        assertThat(w.output()).isCloseTo(a.pathLength(), within(1e-12));
    }

    @Test
    void aRuleFindingHasNoWaterfall() {
        assertThat(ShapEvidence.parse(List.of(new Evidence("charged below contract", "49.00", "39.00", List.of())))).isEmpty();
    }
}
