package io.leakdetector.core.detect;

import static io.leakdetector.core.detect.HistoryBuilder.L;
import static io.leakdetector.core.detect.HistoryBuilder.P;
import static io.leakdetector.core.detect.HistoryBuilder.S;
import static io.leakdetector.core.detect.HistoryBuilder.ctx;
import static io.leakdetector.core.detect.HistoryBuilder.usd;
import static org.assertj.core.api.Assertions.assertThat;

import io.leakdetector.core.domain.SubscriptionStatus;
import io.leakdetector.core.finding.Kind;
import org.junit.jupiter.api.Test;

class SilentChurnDetectorTest {
    private final SilentChurnDetector detector = new SilentChurnDetector();

    private HistoryBuilder history(SubscriptionStatus status, int unpaidMonths) {
        HistoryBuilder h = new HistoryBuilder().sub(S.sub("sub_1").qty(2).status(status).started("2025-10-01"))
                .monthly("sub_1", "price_pro_v1", 2, "79.00", "2025-10", "2025-12");
        for (int i = 0; i < unpaidMonths; i++) {
            String m = java.time.YearMonth.of(2026, 1).plusMonths(i).toString();
            String next = java.time.YearMonth.of(2026, 1).plusMonths(i + 1).toString();
            h.invoice("in_u" + i, "sub_1", m + "-01", next + "-01", false, L.sub("price_pro_v1", 2, "79.00"));
        }
        return h;
    }

    @Test
    void activeSubscriptionUnpaidForTwoPeriodsIsAtRiskForItsMrr() {
        assertThat(detector.detect(history(SubscriptionStatus.PAST_DUE, 3).build(), ctx("2026-03-20", P.price("price_pro_v1"))))
                .singleElement().satisfies(d -> {
                    assertThat(d.subject()).isEqualTo("subscription:sub_1");
                    assertThat(d.kind()).isEqualTo(Kind.RISK);
                    assertThat(d.amountMonthlyRecurring()).isEqualTo(usd("158.00"));
                    assertThat(d.explanation()).contains("3 invoices", "2025-12-01");
                });
    }

    @Test
    void oneUnpaidPeriodIsNotChurnYet() {
        assertThat(detector.detect(history(SubscriptionStatus.ACTIVE, 1).build(), ctx("2026-01-20", P.price("price_pro_v1")))).isEmpty();
    }

    @Test
    void canceledSubscriptionIsNotSilentChurn() {
        HistoryBuilder h = history(SubscriptionStatus.ACTIVE, 0);
        h.subs.clear();
        h.sub(S.sub("sub_1").qty(2).started("2025-10-01").canceled("2026-01-01"));
        h.invoice("in_u0", "sub_1", "2026-01-01", "2026-02-01", false, L.sub("price_pro_v1", 2, "79.00"));
        h.invoice("in_u1", "sub_1", "2026-02-01", "2026-03-01", false, L.sub("price_pro_v1", 2, "79.00"));
        assertThat(detector.detect(h.build(), ctx("2026-03-20", P.price("price_pro_v1")))).isEmpty();
    }

    @Test
    void invoicesMarkedPaidWithoutAmountPaidOrPaymentsAreNotUnpaid() {
        // an export with status=paid but no amount_paid column and no payment rows (paid out of band)
        HistoryBuilder h = new HistoryBuilder().sub(S.sub("sub_1").qty(2).started("2025-10-01"));
        for (int m = 10; m <= 12; m++) {
            h.invoice("in_" + m, "sub_1", "2025-" + m + "-01", (m == 12 ? "2026-01" : "2025-" + (m + 1)) + "-01", true,
                    L.sub("price_pro_v1", 2, "79.00"));
        }
        assertThat(detector.detect(h.withoutAmountPaid().build(), ctx("2026-01-20", P.price("price_pro_v1")))).isEmpty();
    }

    @Test
    void invoicesOfANet60CustomerAreNotUnpaidBeforeTheyAreDue() {
        // a B2B customer who always pays ~58 days after the invoice; the two newest invoices are not due yet
        HistoryBuilder h = new HistoryBuilder().sub(S.sub("sub_1").qty(2).started("2025-01-01"));
        for (int m = 1; m <= 11; m++) {
            java.time.YearMonth ym = java.time.YearMonth.of(2025, m);
            String id = "in_" + m;
            h.invoice(id, "sub_1", ym + "-01", ym.plusMonths(1) + "-01", m <= 9, L.sub("price_pro_v1", 2, "79.00"));
            if (m <= 9) h.pay("py_" + m, id, ym.atDay(1).plusDays(58) + "T10:00:00Z", "158.00",
                    io.leakdetector.core.domain.PaymentStatus.SUCCEEDED, null, 1);
        }
        assertThat(detector.detect(h.build(), ctx("2025-11-20", P.price("price_pro_v1")))).isEmpty();
        // once both are past the customer's own terms and the grace, it is churn
        assertThat(detector.detect(h.build(), ctx("2026-01-20", P.price("price_pro_v1")))).singleElement()
                .satisfies(d -> assertThat(d.explanation()).contains("2 invoices"));
    }
}
