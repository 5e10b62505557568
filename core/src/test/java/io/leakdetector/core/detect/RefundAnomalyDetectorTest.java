package io.leakdetector.core.detect;

import static io.leakdetector.core.detect.HistoryBuilder.P;
import static io.leakdetector.core.detect.HistoryBuilder.S;
import static io.leakdetector.core.detect.HistoryBuilder.ctx;
import static io.leakdetector.core.detect.HistoryBuilder.usd;
import static org.assertj.core.api.Assertions.assertThat;

import io.leakdetector.core.domain.PaymentStatus;
import org.junit.jupiter.api.Test;

class RefundAnomalyDetectorTest {
    private final RefundAnomalyDetector detector = new RefundAnomalyDetector();
    private final DetectionContext ctx = ctx("2026-03-01", P.price("price_pro_v1"));

    private HistoryBuilder paid() {
        return new HistoryBuilder().sub(S.sub("sub_1")).monthly("sub_1", "price_pro_v1", 1, "100.00", "2026-01", "2026-01");
    }

    @Test
    void refundsAboveWhatWasPaidAreTheExcess() {
        HistoryBuilder h = paid().refund("re_1", "py_in_sub_1_2026-01", "2026-01-05", "60.00", "requested_by_customer")
                .refund("re_2", "py_in_sub_1_2026-01", "2026-01-06", "60.00", null);
        assertThat(detector.detect(h.build(), ctx)).singleElement().satisfies(d -> {
            assertThat(d.subject()).isEqualTo("refund:re_2");
            assertThat(d.amountOneTime()).isEqualTo(usd("20.00"));
        });
    }

    @Test
    void secondRefundOfTheSameAmountIsAnAnomaly() {
        HistoryBuilder h = paid().refund("re_1", "py_in_sub_1_2026-01", "2026-01-05", "30.00", "duplicate")
                .refund("re_2", "py_in_sub_1_2026-01", "2026-01-09", "30.00", "duplicate");
        assertThat(detector.detect(h.build(), ctx)).singleElement().satisfies(d -> {
            assertThat(d.subject()).isEqualTo("refund:re_2");
            assertThat(d.amountOneTime()).isEqualTo(usd("30.00"));
        });
    }

    @Test
    void refundOfAPaymentThatNeverSucceededIsAllExcess() {
        HistoryBuilder h = new HistoryBuilder().sub(S.sub("sub_1"))
                .pay("py_f", null, "2026-01-01", "79.00", PaymentStatus.FAILED, "insufficient_funds", 1)
                .refund("re_1", "py_f", "2026-01-03", "79.00", null);
        assertThat(detector.detect(h.build(), ctx)).singleElement()
                .satisfies(d -> assertThat(d.amountOneTime()).isEqualTo(usd("79.00")));
    }

    @Test
    void partialRefundsWithinThePaymentWithAReasonAreNormal() {
        HistoryBuilder h = paid().refund("re_1", "py_in_sub_1_2026-01", "2026-01-05", "20.00", "service_outage")
                .refund("re_2", "py_in_sub_1_2026-01", "2026-01-20", "35.00", "requested_by_customer");
        assertThat(detector.detect(h.build(), ctx)).isEmpty();
    }

    @Test
    void equalPartialRefundsWeeksApartWithinThePaymentAreNormal() {
        // two separate goodwill refunds of the same amount, ten days apart, well within what was paid
        HistoryBuilder h = paid().refund("re_1", "py_in_sub_1_2026-01", "2026-01-10", "10.00", "requested_by_customer")
                .refund("re_2", "py_in_sub_1_2026-01", "2026-01-20", "10.00", "requested_by_customer");
        assertThat(detector.detect(h.build(), ctx)).isEmpty();
    }
}
