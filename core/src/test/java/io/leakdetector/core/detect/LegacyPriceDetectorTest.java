package io.leakdetector.core.detect;

import static io.leakdetector.core.detect.HistoryBuilder.P;
import static io.leakdetector.core.detect.HistoryBuilder.S;
import static io.leakdetector.core.detect.HistoryBuilder.ctx;
import static io.leakdetector.core.detect.HistoryBuilder.usd;
import static org.assertj.core.api.Assertions.assertThat;

import io.leakdetector.core.finding.Kind;
import org.junit.jupiter.api.Test;

class LegacyPriceDetectorTest {
    private final LegacyPriceDetector detector = new LegacyPriceDetector();
    private final DetectionContext ctx = ctx("2026-03-01", P.price("price_pro_v1").unit("69.00").valid("2024-01-01", "2025-06-01"),
            P.price("price_pro_v2").unit("89.00").valid("2025-06-01", null));

    @Test
    void retiredPriceBelowTodaysListIsAnOpportunity() {
        HistoryBuilder h = new HistoryBuilder().sub(S.sub("sub_1").price("price_pro_v1").qty(2).started("2025-01-01"));
        assertThat(detector.detect(h.build(), ctx)).singleElement().satisfies(d -> {
            assertThat(d.kind()).isEqualTo(Kind.OPPORTUNITY);
            assertThat(d.subject()).isEqualTo("subscription:sub_1");
            assertThat(d.amountMonthlyRecurring()).isEqualTo(usd("40.00"));
        });
    }

    @Test
    void grandfatheredPriceKeptOnPurposeIsNeverLegacy() {
        HistoryBuilder h = new HistoryBuilder().sub(S.sub("sub_1").price("price_pro_v1").qty(2).started("2025-01-01").locked());
        assertThat(detector.detect(h.build(), ctx)).isEmpty();
    }

    @Test
    void currentVersionOrCanceledSubscriptionIsNotLegacy() {
        HistoryBuilder h = new HistoryBuilder().sub(S.sub("sub_1").price("price_pro_v2").started("2025-07-01"))
                .sub(S.sub("sub_2").price("price_pro_v1").started("2025-01-01").canceled("2025-12-01"));
        assertThat(detector.detect(h.build(), ctx)).isEmpty();
    }
}
