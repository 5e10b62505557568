package io.leakdetector.core.detect;

import static io.leakdetector.core.detect.HistoryBuilder.L;
import static io.leakdetector.core.detect.HistoryBuilder.P;
import static io.leakdetector.core.detect.HistoryBuilder.S;
import static io.leakdetector.core.detect.HistoryBuilder.ctx;
import static io.leakdetector.core.detect.HistoryBuilder.usd;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MissedInvoiceDetectorTest {
    private final MissedInvoiceDetector detector = new MissedInvoiceDetector();

    @Test
    void aMonthWithNoInvoiceIsTheExpectedCharge() {
        HistoryBuilder h = new HistoryBuilder().sub(S.sub("sub_1").qty(3).started("2026-01-01"))
                .monthly("sub_1", "price_pro_v1", 3, "79.00", "2026-01", "2026-02")
                .monthly("sub_1", "price_pro_v1", 3, "79.00", "2026-04", "2026-06");
        assertThat(detector.detect(h.build(), ctx("2026-06-15", P.price("price_pro_v1")))).singleElement().satisfies(d -> {
            assertThat(d.subject()).isEqualTo("subscription:sub_1@2026-03");
            assertThat(d.amountOneTime()).isEqualTo(usd("237.00"));
        });
    }

    @Test
    void invoicesThatStopWhileTheSubscriptionRunsAreMissedPeriods() {
        HistoryBuilder h = new HistoryBuilder().sub(S.sub("sub_1").started("2026-01-01"))
                .monthly("sub_1", "price_pro_v1", 1, "79.00", "2026-01", "2026-04");
        assertThat(detector.detect(h.build(), ctx("2026-06-15", P.price("price_pro_v1"))))
                .extracting(Detection::subject).containsExactly("subscription:sub_1@2026-05", "subscription:sub_1@2026-06");
    }

    @Test
    void aPeriodThatJustStartedIsNotJudgedYet() {
        HistoryBuilder h = new HistoryBuilder().sub(S.sub("sub_1").started("2026-01-01"))
                .monthly("sub_1", "price_pro_v1", 1, "79.00", "2026-01", "2026-05");
        assertThat(detector.detect(h.build(), ctx("2026-06-02", P.price("price_pro_v1")))).isEmpty();
    }

    @Test
    void annualPrepaymentCoversTheYear() {
        HistoryBuilder h = new HistoryBuilder().sub(S.sub("sub_1").price("price_y").started("2025-01-01"))
                .invoice("in_y", "sub_1", "2025-01-01", "2026-01-01", true, L.sub("price_y", 1, "900.00"));
        assertThat(detector.detect(h.build(), ctx("2025-11-30", P.price("price_y").annual().flat().unit("900.00")))).isEmpty();
    }

    @Test
    void trialAndTimeAfterCancellationNeedNoInvoice() {
        HistoryBuilder h = new HistoryBuilder().sub(S.sub("sub_1").started("2026-01-01").trialEnd("2026-02-01").canceled("2026-04-01"))
                .monthly("sub_1", "price_pro_v1", 1, "79.00", "2026-02", "2026-03");
        assertThat(detector.detect(h.build(), ctx("2026-06-15", P.price("price_pro_v1")))).isEmpty();
    }

    @Test
    void midCycleUpgradeWithAShiftedAnchorLeavesNoHole() {
        HistoryBuilder h = new HistoryBuilder().sub(S.sub("sub_1").price("price_biz").started("2026-01-01"))
                .change("sub_1", "2026-02-15", "upgrade", "price_pro_v1", "price_biz", null, null)
                .monthly("sub_1", "price_pro_v1", 1, "79.00", "2026-01", "2026-02")
                .invoice("in_up", "sub_1", "2026-02-15", "2026-03-15", true, L.sub("price_biz", 1, "129.00"))
                .invoice("in_up2", "sub_1", "2026-03-15", "2026-04-15", true, L.sub("price_biz", 1, "129.00"));
        assertThat(detector.detect(h.build(), ctx("2026-04-16", P.price("price_pro_v1"), P.price("price_biz").plan("biz").unit("129.00")))).isEmpty();
    }

    /** A flat plan billed in arrears (on the 1st for the month just ended) by an export with no period columns. */
    private static HistoryBuilder arrearsWithoutPeriods(String... skip) {
        HistoryBuilder h = new HistoryBuilder().sub(S.sub("sub_1").started("2026-01-01"));
        for (int m = 2; m <= 6; m++) {
            String created = "2026-0" + m + "-01";
            if (java.util.Arrays.asList(skip).contains(created)) continue;
            h.invoice("in_" + m, "sub_1", created, null, null, true, "0.00", L.sub("price_pro_v1", 1, "79.00"));
        }
        return h;
    }

    @Test
    void invoicesInArrearsWithoutPeriodsCoverTheMonthJustEnded() {
        assertThat(detector.detect(arrearsWithoutPeriods().build(), ctx("2026-06-15", P.price("price_pro_v1")))).isEmpty();
        // the month since the last invoice is due only once it has ended
        assertThat(detector.detect(arrearsWithoutPeriods().build(), ctx("2026-07-02", P.price("price_pro_v1")))).isEmpty();
    }

    @Test
    void aMissingInvoiceInArrearsIsTheMonthItShouldHaveBilled() {
        assertThat(detector.detect(arrearsWithoutPeriods("2026-04-01").build(), ctx("2026-06-15", P.price("price_pro_v1"))))
                .extracting(Detection::subject).containsExactly("subscription:sub_1@2026-03");
        assertThat(detector.detect(arrearsWithoutPeriods().build(), ctx("2026-07-10", P.price("price_pro_v1"))))
                .extracting(Detection::subject).containsExactly("subscription:sub_1@2026-06");
    }
}
