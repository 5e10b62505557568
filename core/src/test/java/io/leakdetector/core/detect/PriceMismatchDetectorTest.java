package io.leakdetector.core.detect;

import static io.leakdetector.core.detect.HistoryBuilder.L;
import static io.leakdetector.core.detect.HistoryBuilder.P;
import static io.leakdetector.core.detect.HistoryBuilder.S;
import static io.leakdetector.core.detect.HistoryBuilder.ctx;
import static io.leakdetector.core.detect.HistoryBuilder.usd;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PriceMismatchDetectorTest {
    private final PriceMismatchDetector detector = new PriceMismatchDetector();
    private final ExpiredDiscountDetector expired = new ExpiredDiscountDetector();

    @Test
    void perSeatPriceBelowTheNegotiatedContractIsRecurringShortfall() {
        HistoryBuilder h = new HistoryBuilder().sub(S.sub("sub_1").qty(12).negotiated("79.00", "ct_9").started("2026-01-01"))
                .invoice("in_123", "sub_1", "2026-02-01", "2026-03-01", true, L.sub("price_pro_v1", 12, "49.00"));
        var found = detector.detect(h.build(), ctx("2026-03-01", P.price("price_pro_v1").unit("99.00")));
        assertThat(found).singleElement().satisfies(d -> {
            assertThat(d.subject()).isEqualTo("invoice:in_123");
            assertThat(d.amountMonthlyRecurring()).isEqualTo(usd("360.00"));
            assertThat(d.amountOneTime().isZero()).isTrue();
            assertThat(d.explanation()).contains("in_123", "USD 49.00", "contract ct_9", "USD 79.00", "no discount applies", "12 units", "USD 360.00 a month");
        });
        assertThat(expired.detect(h.build(), ctx("2026-03-01", P.price("price_pro_v1").unit("99.00")))).isEmpty();
    }

    @Test
    void validDiscountInsideItsDatesIsNotAMismatch() {
        HistoryBuilder h = new HistoryBuilder().sub(S.sub("sub_1").qty(2).discount("20", "2026-06-01"))
                .invoice("in_a", "sub_1", "2026-02-01", "2026-03-01", true, L.sub("price_pro_v1", 2, "63.20")) // embedded
                .invoice("in_b", "sub_1", "2026-03-01", "2026-04-01", true, L.sub("price_pro_v1", 2, "79.00"), L.discount("31.60"));
        DetectionContext c = ctx("2026-04-01", P.price("price_pro_v1"));
        assertThat(detector.detect(h.build(), c)).isEmpty();
        assertThat(expired.detect(h.build(), c)).isEmpty();
    }

    @Test
    void prorationAndGoodwillCreditLinesAreNotMismatches() {
        HistoryBuilder h = new HistoryBuilder().sub(S.sub("sub_1"))
                .invoice("in_1", "sub_1", "2026-02-01", "2026-03-01", true, L.sub("price_pro_v1", 1, "79.00"),
                        L.proration("price_pro_v1", 1, "12.00"), L.credit("10.00"));
        assertThat(detector.detect(h.build(), ctx("2026-03-01", P.price("price_pro_v1")))).isEmpty();
    }

    @Test
    void retiredVersionTheSubscriptionIsOnStaysValid() {
        HistoryBuilder h = new HistoryBuilder().sub(S.sub("sub_1").price("price_pro_v1"))
                .invoice("in_1", "sub_1", "2026-02-01", "2026-03-01", true, L.sub("price_pro_v1", 1, "69.00"));
        var c = ctx("2026-03-01", P.price("price_pro_v1").unit("69.00").valid("2024-01-01", "2025-06-01"),
                P.price("price_pro_v2").unit("89.00").valid("2025-06-01", null));
        assertThat(detector.detect(h.build(), c)).isEmpty();
    }

    @Test
    void annualPriceShortfallIsDividedByTwelve() {
        HistoryBuilder h = new HistoryBuilder().sub(S.sub("sub_1").price("price_pro_y"))
                .invoice("in_1", "sub_1", "2026-01-01", "2027-01-01", true, L.sub("price_pro_y", 1, "600.00"));
        var found = detector.detect(h.build(), ctx("2026-02-01", P.price("price_pro_y").annual().flat().unit("960.00")));
        assertThat(found).singleElement().satisfies(d -> assertThat(d.amountMonthlyRecurring()).isEqualTo(usd("30.00")));
    }

    @Test
    void discountWithoutAnyContractDiscountIsAMismatch() {
        HistoryBuilder h = new HistoryBuilder().sub(S.sub("sub_1"))
                .invoice("in_1", "sub_1", "2026-02-01", "2026-03-01", true, L.sub("price_pro_v1", 1, "79.00"), L.discount("19.00"));
        assertThat(detector.detect(h.build(), ctx("2026-03-01", P.price("price_pro_v1"))))
                .singleElement().satisfies(d -> assertThat(d.amountMonthlyRecurring()).isEqualTo(usd("19.00")));
    }

    @Test
    void freeTrialInvoiceIsNotAMismatch() {
        HistoryBuilder h = new HistoryBuilder().sub(S.sub("sub_1").started("2026-01-01").trialEnd("2026-01-15"))
                .invoice("in_0", "sub_1", "2026-01-01", "2026-01-15", true, L.sub("price_pro_v1", 1, "0.00"));
        assertThat(detector.detect(h.build(), ctx("2026-02-01", P.price("price_pro_v1")))).isEmpty();
    }

    @Test
    void priceAfterAnUpgradeIsJudgedAgainstTheNewPlan() {
        HistoryBuilder h = new HistoryBuilder().sub(S.sub("sub_1").price("price_biz"))
                .change("sub_1", "2026-02-01", "upgrade", "price_pro_v1", "price_biz", null, null)
                .invoice("in_1", "sub_1", "2026-01-01", "2026-02-01", true, L.sub("price_pro_v1", 1, "79.00"))
                .invoice("in_2", "sub_1", "2026-02-01", "2026-03-01", true, L.sub("price_biz", 1, "99.00"));
        var c = ctx("2026-03-01", P.price("price_pro_v1"), P.price("price_biz").plan("biz").unit("129.00"));
        assertThat(detector.detect(h.build(), c)).singleElement().satisfies(d -> {
            assertThat(d.subject()).isEqualTo("invoice:in_2");
            assertThat(d.amountMonthlyRecurring()).isEqualTo(usd("30.00"));
        });
    }

    @Test
    void annualPriceBilledInMonthlyInstalmentsOwesATwelfthPerMonth() {
        P yearly = P.price("price_ent_y").plan("ent").product("prod_ent").flat().annual().unit("1200.00");
        HistoryBuilder h = new HistoryBuilder().sub(S.sub("sub_1").price("price_ent_y").started("2026-01-01"))
                .invoice("in_1", "sub_1", "2026-01-01", "2026-02-01", true, L.sub("price_ent_y", 1, "100.00"))
                .invoice("in_2", "sub_1", "2026-02-01", "2026-03-01", true, L.sub("price_ent_y", 1, "100.00"));
        assertThat(detector.detect(h.build(), ctx("2026-03-15", yearly))).isEmpty();
        // an instalment below a twelfth is still a mismatch, per month
        h.invoice("in_3", "sub_1", "2026-03-01", "2026-04-01", true, L.sub("price_ent_y", 1, "90.00"));
        assertThat(detector.detect(h.build(), ctx("2026-03-15", yearly))).singleElement().satisfies(d -> {
            assertThat(d.subject()).isEqualTo("invoice:in_3");
            assertThat(d.amountMonthlyRecurring()).isEqualTo(usd("10.00"));
        });
    }

    @Test
    void amountOffCouponFromSignUpIsNotAMismatch() {
        // a USD 10 off x 3 months coupon the subscription export cannot show (no percentage)
        HistoryBuilder h = new HistoryBuilder().sub(S.sub("sub_1").started("2026-01-01"));
        for (int m = 1; m <= 5; m++) {
            String from = "2026-0" + m + "-01", to = "2026-0" + (m + 1) + "-01";
            if (m <= 3) h.invoice("in_" + m, "sub_1", from, to, true, L.sub("price_pro_v1", 1, "79.00"), L.discount("10.00"));
            else h.invoice("in_" + m, "sub_1", from, to, true, L.sub("price_pro_v1", 1, "79.00"));
        }
        assertThat(detector.detect(h.build(), ctx("2026-06-15", P.price("price_pro_v1")))).isEmpty();
        // the same discount turning up again mid-life is not the sign-up coupon
        h.invoice("in_6", "sub_1", "2026-06-01", "2026-07-01", true, L.sub("price_pro_v1", 1, "79.00"), L.discount("10.00"));
        assertThat(detector.detect(h.build(), ctx("2026-06-15", P.price("price_pro_v1")))).extracting(Detection::subject)
                .containsExactly("invoice:in_6");
    }

    @Test
    void anotherDiscountAfterThePercentageEndedIsNotTheExpiredDiscount() {
        HistoryBuilder h = new HistoryBuilder().sub(S.sub("sub_1").discount("20", "2026-03-01").started("2026-01-01"))
                .invoice("in_1", "sub_1", "2026-01-01", "2026-02-01", true, L.sub("price_pro_v1", 1, "50.00"), L.discount("10.00"))
                .invoice("in_2", "sub_1", "2026-02-01", "2026-03-01", true, L.sub("price_pro_v1", 1, "50.00"), L.discount("10.00"))
                .invoice("in_3", "sub_1", "2026-03-01", "2026-04-01", true, L.sub("price_pro_v1", 1, "50.00"))
                .invoice("in_4", "sub_1", "2026-04-01", "2026-05-01", true, L.sub("price_pro_v1", 1, "50.00"), L.discount("15.00"));
        DetectionContext c = ctx("2026-05-15", P.price("price_pro_v1").unit("50.00"));
        assertThat(expired.detect(h.build(), c)).isEmpty();
        assertThat(detector.detect(h.build(), c)).singleElement().satisfies(d -> {
            assertThat(d.subject()).isEqualTo("invoice:in_4");
            assertThat(d.explanation()).contains("discount ended 2026-03-01");
        });
        // the 20 % itself still applied after its end is EXPIRED_DISCOUNT
        h.invoice("in_5", "sub_1", "2026-05-01", "2026-06-01", true, L.sub("price_pro_v1", 1, "50.00"), L.discount("10.00"));
        assertThat(expired.detect(h.build(), ctx("2026-06-15", P.price("price_pro_v1").unit("50.00")))).extracting(Detection::subject)
                .containsExactly("invoice:in_5");
    }
}
