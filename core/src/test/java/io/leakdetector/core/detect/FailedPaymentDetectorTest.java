package io.leakdetector.core.detect;

import static io.leakdetector.core.detect.HistoryBuilder.L;
import static io.leakdetector.core.detect.HistoryBuilder.P;
import static io.leakdetector.core.detect.HistoryBuilder.S;
import static io.leakdetector.core.detect.HistoryBuilder.ctx;
import static io.leakdetector.core.detect.HistoryBuilder.usd;
import static org.assertj.core.api.Assertions.assertThat;

import io.leakdetector.core.domain.PaymentStatus;
import io.leakdetector.core.finding.Category;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FailedPaymentDetectorTest {
    private final FailedPaymentDetector detector = new FailedPaymentDetector();

    private static HistoryBuilder unpaid(String decline) {
        return new HistoryBuilder().sub(S.sub("sub_1"))
                .invoice("in_1", "sub_1", "2026-01-01", "2026-02-01", false, L.sub("price_pro_v1", 1, "79.00"))
                .pay("py_1", "in_1", "2026-01-01T00:01:00Z", "79.00", PaymentStatus.FAILED, "insufficient_funds", 1)
                .pay("py_2", "in_1", "2026-01-04T00:01:00Z", "79.00", PaymentStatus.FAILED, decline, 2);
    }

    @Test
    void unpaidInvoicePastGraceIsAFindingWithTheRemainingAmount() {
        List<Detection> found = detector.detect(unpaid("insufficient_funds").build(), ctx("2026-01-20", P.price("price_pro_v1")));
        assertThat(found).singleElement().satisfies(d -> {
            assertThat(d.category()).isEqualTo(Category.FAILED_PAYMENT);
            assertThat(d.subject()).isEqualTo("invoice:in_1");
            assertThat(d.amountOneTime()).isEqualTo(usd("79.00"));
            assertThat(d.amountMonthlyRecurring().isZero()).isTrue();
            assertThat(d.explanation()).contains("in_1", "USD 79.00", "insufficient_funds", "soft");
            assertThat(d.recommendedAction()).startsWith("Retry");
            assertThat(d.evidence()).flatExtracting(e -> e.sources()).contains("invoices.csv:in_1", "payments.csv:py_2");
        });
    }

    @ParameterizedTest
    @CsvSource({"expired_card,new card", "authentication_required,authenticate", "fraudulent,block", "card_velocity_exceeded,Retry"})
    void declineClassPicksTheAction(String code, String action) {
        List<Detection> found = detector.detect(unpaid(code).build(), ctx("2026-02-01", P.price("price_pro_v1")));
        assertThat(found).singleElement().satisfies(d -> assertThat(d.recommendedAction()).contains(action));
    }

    @Test
    void stillWithinGraceIsNotAFindingYet() {
        assertThat(detector.detect(unpaid("insufficient_funds").build(), ctx("2026-01-14T23:00:00Z", P.price("price_pro_v1")))).isEmpty();
    }

    @Test
    void successfulRetryIsNotAFinding() {
        HistoryBuilder h = unpaid("insufficient_funds").pay("py_3", "in_1", "2026-01-08T00:00:00Z", "79.00", PaymentStatus.SUCCEEDED, null, 3);
        assertThat(detector.detect(h.build(), ctx("2026-03-01", P.price("price_pro_v1")))).isEmpty();
    }

    @Test
    void creditNoteCoveringTheRemainderIsNotAFinding() {
        HistoryBuilder h = unpaid("insufficient_funds").creditNote("cn_1", "in_1", "2026-01-10", "79.00", "goodwill");
        assertThat(detector.detect(h.build(), ctx("2026-03-01", P.price("price_pro_v1")))).isEmpty();
    }

    @Test
    void anInvoiceNeverAttemptedIsNotAFailedPayment() {
        HistoryBuilder h = new HistoryBuilder().sub(S.sub("sub_1"))
                .invoice("in_1", "sub_1", "2026-01-01", "2026-02-01", false, L.sub("price_pro_v1", 1, "79.00"));
        assertThat(detector.detect(h.build(), ctx("2026-03-01", P.price("price_pro_v1")))).isEmpty();
    }

    @Test
    void declineCodesMapToClasses() {
        assertThat(DeclineClass.of("insufficient_funds")).isEqualTo(DeclineClass.SOFT);
        assertThat(DeclineClass.of("DO_NOT_HONOR")).isEqualTo(DeclineClass.SOFT);
        assertThat(DeclineClass.of("stolen_card")).isEqualTo(DeclineClass.HARD);
        assertThat(DeclineClass.of("authentication_required")).isEqualTo(DeclineClass.AUTHENTICATION);
        assertThat(DeclineClass.of("merchant_blacklist")).isEqualTo(DeclineClass.FRAUD);
        assertThat(DeclineClass.of("something_new")).isEqualTo(DeclineClass.UNKNOWN);
        assertThat(DeclineClass.of(null)).isEqualTo(DeclineClass.UNKNOWN);
    }

    @Test
    void invoiceMarkedPaidAfterADeclineIsSettledEvenWithoutAmountPaidOrAPaymentRow() {
        // paid by wire after the card was declined; the export has no amount_paid column (reads 0)
        HistoryBuilder h = new HistoryBuilder().sub(S.sub("sub_1"))
                .invoice("in_1", "sub_1", "2026-01-01", "2026-02-01", true, L.sub("price_pro_v1", 1, "79.00"))
                .pay("py_1", "in_1", "2026-01-01T00:01:00Z", "79.00", PaymentStatus.FAILED, "insufficient_funds", 1)
                .withoutAmountPaid();
        assertThat(detector.detect(h.build(), ctx("2026-03-20", P.price("price_pro_v1")))).isEmpty();
        assertThat(detector.detect(unpaid("insufficient_funds").withoutAmountPaid().build(), ctx("2026-03-20", P.price("price_pro_v1"))))
                .as("an open invoice with the same declines is still a finding").hasSize(1);
    }
}
