package io.leakdetector.core.detect;

import static io.leakdetector.core.detect.HistoryBuilder.L;
import static io.leakdetector.core.detect.HistoryBuilder.P;
import static io.leakdetector.core.detect.HistoryBuilder.S;
import static io.leakdetector.core.detect.HistoryBuilder.ctx;
import static io.leakdetector.core.detect.HistoryBuilder.usd;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ExpiredDiscountDetectorTest {
    private final ExpiredDiscountDetector detector = new ExpiredDiscountDetector();
    private final PriceMismatchDetector mismatch = new PriceMismatchDetector();
    private final DetectionContext ctx = ctx("2026-04-01", P.price("price_pro_v1"));

    @Test
    void discountLineAfterTheEndDateIsTheDiscountAmountAMonth() {
        HistoryBuilder h = new HistoryBuilder().sub(S.sub("sub_1").qty(2).discount("20", "2026-02-01"))
                .invoice("in_jan", "sub_1", "2026-01-01", "2026-02-01", true, L.sub("price_pro_v1", 2, "79.00"), L.discount("31.60"))
                .invoice("in_feb", "sub_1", "2026-02-01", "2026-03-01", true, L.sub("price_pro_v1", 2, "79.00"), L.discount("31.60"));
        assertThat(detector.detect(h.build(), ctx)).singleElement().satisfies(d -> {
            assertThat(d.subject()).isEqualTo("invoice:in_feb");
            assertThat(d.amountMonthlyRecurring()).isEqualTo(usd("31.60"));
            assertThat(d.explanation()).contains("20 %", "2026-02-01");
        });
        assertThat(mismatch.detect(h.build(), ctx)).isEmpty();
    }

    @Test
    void discountPricedIntoTheUnitAfterItsEndIsFoundToo() {
        HistoryBuilder h = new HistoryBuilder().sub(S.sub("sub_1").discount("25", "2026-01-15"))
                .invoice("in_feb", "sub_1", "2026-02-01", "2026-03-01", true, L.sub("price_pro_v1", 1, "59.25"));
        assertThat(detector.detect(h.build(), ctx)).singleElement()
                .satisfies(d -> assertThat(d.amountMonthlyRecurring()).isEqualTo(usd("19.75")));
        assertThat(mismatch.detect(h.build(), ctx)).isEmpty();
    }

    @Test
    void invoiceCreatedBeforeTheEndKeepsItsDiscount() {
        HistoryBuilder h = new HistoryBuilder().sub(S.sub("sub_1").discount("20", "2026-02-01T00:00:01Z"))
                .invoice("in_feb", "sub_1", "2026-02-01", "2026-03-01", true, L.sub("price_pro_v1", 1, "79.00"), L.discount("15.80"));
        assertThat(detector.detect(h.build(), ctx)).isEmpty();
    }
}
