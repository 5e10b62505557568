package io.leakdetector.core.detect;

import static io.leakdetector.core.detect.HistoryBuilder.L;
import static io.leakdetector.core.detect.HistoryBuilder.P;
import static io.leakdetector.core.detect.HistoryBuilder.S;
import static io.leakdetector.core.detect.HistoryBuilder.ctx;
import static org.assertj.core.api.Assertions.assertThat;

import io.leakdetector.core.finding.Category;
import io.leakdetector.core.finding.Finding;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DetectionEngineTest {
    private final DetectionContext ctx = ctx("2026-04-01", P.price("price_pro_v1"));

    /** An invoice below the contract price that also carries a discount after its end: two categories, one subject. */
    private CustomerHistory twoRulesOneInvoice() {
        return new HistoryBuilder().sub(S.sub("sub_1").qty(1).discount("10", "2026-02-01").started("2026-01-01"))
                .monthly("sub_1", "price_pro_v1", 1, "79.00", "2026-01", "2026-02")
                .invoice("in_mar", "sub_1", "2026-03-01", "2026-04-01", true, L.sub("price_pro_v1", 1, "49.00"), L.discount("4.90"))
                .build();
    }

    @Test
    void onePerSubjectAndCategoryWithEveryMatchedRulePrimaryFirst() {
        List<ScoredFinding> found = DetectionEngine.standard().run(twoRulesOneInvoice(), ctx);
        List<Finding> onInvoice = found.stream().map(ScoredFinding::finding).filter(f -> f.subject().equals("invoice:in_mar")).toList();
        assertThat(onInvoice).extracting(Finding::category)
                .containsExactlyInAnyOrder(Category.PRICE_MISMATCH, Category.EXPIRED_DISCOUNT);
        for (Finding f : onInvoice) {
            assertThat(f.matchedRules()).hasSize(2).first().isEqualTo(f.category().name());
            assertThat(f.matchedRules()).containsExactlyInAnyOrder("PRICE_MISMATCH", "EXPIRED_DISCOUNT");
            assertThat(f.explanation()).isNotBlank();
            assertThat(f.recommendedAction()).isNotBlank();
            assertThat(f.evidence()).isNotEmpty().allSatisfy(e -> assertThat(e.sources()).isNotEmpty());
            assertThat(f.score()).isBetween(0.0, 1.0);
            assertThat(f.detectedAt()).isEqualTo(ctx.asOf());
        }
    }

    @Test
    void idsAreDeterministicAndScoresExplainedByFactors() {
        List<ScoredFinding> a = DetectionEngine.standard().run(twoRulesOneInvoice(), ctx);
        List<ScoredFinding> b = DetectionEngine.standard().run(twoRulesOneInvoice(), ctx);
        assertThat(a).extracting(s -> s.finding().id()).containsExactlyElementsOf(b.stream().map(s -> s.finding().id()).toList());
        assertThat(a.get(0).finding().id()).isEqualTo(DetectionEngine.findingId(a.get(0).finding().category(), a.get(0).finding().subject()));
        for (ScoredFinding s : a) {
            assertThat(s.risk().factors()).extracting(RiskFactor::signal).contains(Signals.RULE_CERTAINTY, Signals.AMOUNT_AT_STAKE);
            assertThat(s.risk().factors()).allSatisfy(f -> assertThat(f.reason()).isNotBlank());
            assertThat(s.finding().score()).isEqualTo(s.risk().unit());
        }
    }

    @Test
    void weightsAreConfiguration() {
        Detection d = DetectionEngine.standard().detectors().get(2).detect(twoRulesOneInvoice(), ctx).get(0);
        Map<String, Double> onlyCertainty = new HashMap<>();
        onlyCertainty.put(Signals.RULE_CERTAINTY, 1.0);
        RiskAssessment r = new RiskScorer(new RiskScorer.Config(onlyCertainty)).score(d, twoRulesOneInvoice());
        assertThat(r.factors()).singleElement().satisfies(f -> assertThat(f.signal()).isEqualTo(Signals.RULE_CERTAINTY));
        double certainty = d.signals().stream().filter(s -> s.name().equals(Signals.RULE_CERTAINTY)).findFirst().orElseThrow().value();
        assertThat(r.score()).isCloseTo(100 * certainty, org.assertj.core.data.Offset.offset(0.05));
    }

    @Test
    void aCleanCustomerHasNoFindings() {
        CustomerHistory h = new HistoryBuilder().sub(S.sub("sub_1").qty(2).started("2026-01-01"))
                .monthly("sub_1", "price_pro_v1", 2, "79.00", "2026-01", "2026-04").card("pm_1", "2029-12", true)
                .seats("prod_pro", "2026-01-01", "2026-03-31", 2).build();
        assertThat(DetectionEngine.standard().run(h, ctx("2026-04-10", P.price("price_pro_v1")))).isEmpty();
    }
}
