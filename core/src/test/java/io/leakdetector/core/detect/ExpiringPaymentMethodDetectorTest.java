package io.leakdetector.core.detect;

import static io.leakdetector.core.detect.HistoryBuilder.P;
import static io.leakdetector.core.detect.HistoryBuilder.S;
import static io.leakdetector.core.detect.HistoryBuilder.ctx;
import static io.leakdetector.core.detect.HistoryBuilder.usd;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ExpiringPaymentMethodDetectorTest {
    private final ExpiringPaymentMethodDetector detector = new ExpiringPaymentMethodDetector();
    private final DetectionContext ctx = ctx("2026-02-10", P.price("price_pro_v1"));

    private HistoryBuilder customer() {
        return new HistoryBuilder().sub(S.sub("sub_1").qty(2).started("2025-11-01"))
                .monthly("sub_1", "price_pro_v1", 2, "79.00", "2025-11", "2026-02");
    }

    @Test
    void cardExpiringBeforeTheNextRenewalIsARiskOfTheNextInvoice() {
        assertThat(detector.detect(customer().card("pm_1", "2026-02", true).build(), ctx)).singleElement().satisfies(d -> {
            assertThat(d.subject()).isEqualTo("customer:cus_1");
            assertThat(d.amountOneTime()).isEqualTo(usd("158.00"));
            assertThat(d.explanation()).contains("pm_1", "2026-02", "2026-03-01");
        });
    }

    @Test
    void cardValidThroughTheRenewalMonthIsFine() {
        assertThat(detector.detect(customer().card("pm_1", "2026-03", true).build(), ctx)).isEmpty();
    }

    @Test
    void aNewerCardOnFileTakesOver() {
        assertThat(detector.detect(customer().card("pm_1", "2026-02", false).card("pm_2", "2029-01", true).build(), ctx)).isEmpty();
    }
}
